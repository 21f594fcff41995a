;; Gaussian values sixteen at a time (WebAssembly SIMD): the ziggurat's common case (random.ts) on
;; four sfc32 generators, one per lane, each stepped four times a block. Compiled by `npm run
;; kernels` into normal.wasm.ts. Memory (imported, so that an instance can work in place in the
;; fused step's heap): the lanes' states a, b, c, d (i32x4 each) at 0; the table at 64, per layer 8
;; bytes, ⌈K⌉ (i32) then W (f32), for 256 layers; the next block's draws at 2112 (64 bytes); the
;; constants at 2176 (96 bytes: 1, std, then mean four times); the values at byte `values` (4 · n
;; bytes, at a 16-byte boundary; the rest of a last group of four is left as it was); the misses'
;; records at byte `misses`. `normals` makes `n` values, mean + std·z (or, with `add`, the values at byte
;; `src`, the same length, plus std·z: in place when src = values, w + ε in one pass for weight
;; noise) and returns how many blocks of four groups had a draw outside its layer's rectangle: for
;; each, in order, a record of 80 bytes (the block's sixteen draws, its first value's byte address,
;; then a bit per value, set where the value is done); a missed value is left undefined (in an add:
;; the value plus 0) and `finish` completes it, zigguratEdge's arithmetic on the JS generator's
;; state (below). A block's value k is lane k % 4's draw of step k / 4: the values of one group of
;; four at a time, the same stream.
;; The loop is bound by the table gather's latency (a draw, its layer's byte, the table's pair, the
;; value), not by its instructions: without the gather it runs ≈35 % faster. So the generators run
;; a block ahead and stage their draws in memory, where the next turn reads the layers back a byte
;; at a time (scalar loads and shifts rather than extract_lane's shuffles, the busiest port) long
;; after the store; four groups a turn, unrolled (the bounds and stack checks, the record's header
;; and count once per sixteen values; no register moves at the back edge); every block's record is
;; written and kept only when a value missed, rather than a branch that ≈20 % of blocks take
;; unpredictably. Against one group a turn with the layers read straight after the store: ≈0.8 of
;; the time (bench/normalKernel.ts).
(module
  (import "env" "memory" (memory 1))
  ;; Math.exp and Math.log, so that an edge decided here is decided as zigguratEdge decides it.
  (import "env" "exp" (func $exp (param f64) (result f64)))
  (import "env" "log" (func $log (param f64) (result f64)))
  ;; The JS generator's sfc32 state (Rng.s) while `finish` runs.
  (global $s0 (mut i32) (i32.const 0))
  (global $s1 (mut i32) (i32.const 0))
  (global $s2 (mut i32) (i32.const 0))
  (global $s3 (mut i32) (i32.const 0))
  (func (export "normals") (param $n i32) (param $mean f32) (param $std f32) (param $add i32) (param $misses i32) (param $values i32) (param $src i32) (result i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $bits v128)
    (local $a0 v128) (local $b0 v128) (local $c0 v128) (local $d0 v128)
    (local $u v128) (local $lo v128) (local $hi v128) (local $stds v128) (local $one v128)
    (local $ok0 v128) (local $ok1 v128) (local $ok2 v128) (local $ok3 v128)
    (local $i i32) (local $end i32) (local $at i32) (local $from i32) (local $step i32) (local $mask i32) (local $rest i32) (local $g i32) (local $t v128)
    ;; The constants through memory: V8 keeps a loaded value in a register, where a splat's constant it rebuilds at every use.
    (v128.store offset=2176 (i32.const 0) (i32x4.splat (i32.const 1)))
    (v128.store offset=2192 (i32.const 0) (f32x4.splat (local.get $std)))
    (v128.store offset=2208 (i32.const 0) (f32x4.splat (local.get $mean)))
    (v128.store offset=2224 (i32.const 0) (f32x4.splat (local.get $mean)))
    (v128.store offset=2240 (i32.const 0) (f32x4.splat (local.get $mean)))
    (v128.store offset=2256 (i32.const 0) (f32x4.splat (local.get $mean)))
    (local.set $one (v128.load offset=2176 (i32.const 0)))
    (local.set $stds (v128.load offset=2192 (i32.const 0)))
    (local.set $a (v128.load (i32.const 0)))
    (local.set $b (v128.load (i32.const 16)))
    (local.set $c (v128.load (i32.const 32)))
    (local.set $d (v128.load (i32.const 48)))
    ;; What std·z is added to: the source's block (moving on 64 bytes a block), or the four means (staying).
    (local.set $from (select (local.get $src) (i32.const 2208) (local.get $add)))
    (local.set $step (select (i32.const 64) (i32.const 0) (local.get $add)))
    (local.set $i (local.get $values))
    (local.set $at (local.get $misses))
    ;; The whole blocks of sixteen in the loop, then the last $rest values (fewer) after it.
    (local.set $end (i32.add (local.get $values) (i32.shl (i32.shr_u (local.get $n) (i32.const 4)) (i32.const 6))))
    (local.set $rest (i32.and (local.get $n) (i32.const 15)))
    ;; The generators run a block ahead of the values; a0…d0 keep their state after the blocks done, which is what is stored back.
    (local.set $a0 (local.get $a)) (local.set $b0 (local.get $b)) (local.set $c0 (local.get $c)) (local.set $d0 (local.get $d))
    ;; The first block's draws staged (sfc32 on the four lanes: bits = a + b + d; a = b ^ b >>> 9; b = c + c << 3; c = rotl(c, 21) + bits; d + 1).
        (local.set $bits (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32x4.add (local.get $d) (local.get $one)))
        (local.set $a (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32x4.add (local.get $c) (i32x4.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32x4.add (v128.or (i32x4.shl (local.get $c) (i32.const 21)) (i32x4.shr_u (local.get $c) (i32.const 11))) (local.get $bits)))
        (v128.store offset=2112 (i32.const 0) (local.get $bits))
        (local.set $bits (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32x4.add (local.get $d) (local.get $one)))
        (local.set $a (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32x4.add (local.get $c) (i32x4.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32x4.add (v128.or (i32x4.shl (local.get $c) (i32.const 21)) (i32x4.shr_u (local.get $c) (i32.const 11))) (local.get $bits)))
        (v128.store offset=2128 (i32.const 0) (local.get $bits))
        (local.set $bits (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32x4.add (local.get $d) (local.get $one)))
        (local.set $a (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32x4.add (local.get $c) (i32x4.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32x4.add (v128.or (i32x4.shl (local.get $c) (i32.const 21)) (i32x4.shr_u (local.get $c) (i32.const 11))) (local.get $bits)))
        (v128.store offset=2144 (i32.const 0) (local.get $bits))
        (local.set $bits (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32x4.add (local.get $d) (local.get $one)))
        (local.set $a (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32x4.add (local.get $c) (i32x4.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32x4.add (v128.or (i32x4.shl (local.get $c) (i32.const 21)) (i32x4.shr_u (local.get $c) (i32.const 11))) (local.get $bits)))
        (v128.store offset=2160 (i32.const 0) (local.get $bits))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $a0 (local.get $a)) (local.set $b0 (local.get $b)) (local.set $c0 (local.get $c)) (local.set $d0 (local.get $d))
        ;; Per group: its draws into the block's record; each lane's [⌈K⌉, W] at 64 + 8 · layer (the layer
        ;; its draw's low byte, the signed value its other 24 bits); z = u · W · std where u is inside its
        ;; rectangle, 0 at a miss (its value is finish's to write).
        ;; group 0: this block's draws (staged by the turn before), then the next block's staged
        (local.set $bits (v128.load offset=2112 (i32.const 0)))
        (v128.store offset=0 (local.get $at) (local.get $bits))
        (local.set $lo (v128.load64_zero offset=64 (i32.shl (i32.load8_u offset=2112 (i32.const 0)) (i32.const 3))))
        (local.set $lo (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u offset=2116 (i32.const 0)) (i32.const 3)) (local.get $lo)))
        (local.set $hi (v128.load64_zero offset=64 (i32.shl (i32.load8_u offset=2120 (i32.const 0)) (i32.const 3))))
        (local.set $hi (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u offset=2124 (i32.const 0)) (i32.const 3)) (local.get $hi)))
        (local.set $u (i32x4.shr_s (local.get $bits) (i32.const 8)))
        (local.set $ok0 (i32x4.lt_s (i32x4.abs (local.get $u)) (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $lo) (local.get $hi))))
        (v128.store offset=0 (local.get $i) (f32x4.add (v128.load offset=0 (local.get $from))
          (v128.and (local.get $ok0) (f32x4.mul (f32x4.mul (f32x4.convert_i32x4_s (local.get $u))
            (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $lo) (local.get $hi))) (local.get $stds)))))
        (local.set $bits (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32x4.add (local.get $d) (local.get $one)))
        (local.set $a (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32x4.add (local.get $c) (i32x4.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32x4.add (v128.or (i32x4.shl (local.get $c) (i32.const 21)) (i32x4.shr_u (local.get $c) (i32.const 11))) (local.get $bits)))
        (v128.store offset=2112 (i32.const 0) (local.get $bits))
        ;; group 1: this block's draws (staged by the turn before), then the next block's staged
        (local.set $bits (v128.load offset=2128 (i32.const 0)))
        (v128.store offset=16 (local.get $at) (local.get $bits))
        (local.set $lo (v128.load64_zero offset=64 (i32.shl (i32.load8_u offset=2128 (i32.const 0)) (i32.const 3))))
        (local.set $lo (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u offset=2132 (i32.const 0)) (i32.const 3)) (local.get $lo)))
        (local.set $hi (v128.load64_zero offset=64 (i32.shl (i32.load8_u offset=2136 (i32.const 0)) (i32.const 3))))
        (local.set $hi (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u offset=2140 (i32.const 0)) (i32.const 3)) (local.get $hi)))
        (local.set $u (i32x4.shr_s (local.get $bits) (i32.const 8)))
        (local.set $ok1 (i32x4.lt_s (i32x4.abs (local.get $u)) (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $lo) (local.get $hi))))
        (v128.store offset=16 (local.get $i) (f32x4.add (v128.load offset=16 (local.get $from))
          (v128.and (local.get $ok1) (f32x4.mul (f32x4.mul (f32x4.convert_i32x4_s (local.get $u))
            (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $lo) (local.get $hi))) (local.get $stds)))))
        (local.set $bits (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32x4.add (local.get $d) (local.get $one)))
        (local.set $a (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32x4.add (local.get $c) (i32x4.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32x4.add (v128.or (i32x4.shl (local.get $c) (i32.const 21)) (i32x4.shr_u (local.get $c) (i32.const 11))) (local.get $bits)))
        (v128.store offset=2128 (i32.const 0) (local.get $bits))
        ;; group 2: this block's draws (staged by the turn before), then the next block's staged
        (local.set $bits (v128.load offset=2144 (i32.const 0)))
        (v128.store offset=32 (local.get $at) (local.get $bits))
        (local.set $lo (v128.load64_zero offset=64 (i32.shl (i32.load8_u offset=2144 (i32.const 0)) (i32.const 3))))
        (local.set $lo (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u offset=2148 (i32.const 0)) (i32.const 3)) (local.get $lo)))
        (local.set $hi (v128.load64_zero offset=64 (i32.shl (i32.load8_u offset=2152 (i32.const 0)) (i32.const 3))))
        (local.set $hi (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u offset=2156 (i32.const 0)) (i32.const 3)) (local.get $hi)))
        (local.set $u (i32x4.shr_s (local.get $bits) (i32.const 8)))
        (local.set $ok2 (i32x4.lt_s (i32x4.abs (local.get $u)) (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $lo) (local.get $hi))))
        (v128.store offset=32 (local.get $i) (f32x4.add (v128.load offset=32 (local.get $from))
          (v128.and (local.get $ok2) (f32x4.mul (f32x4.mul (f32x4.convert_i32x4_s (local.get $u))
            (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $lo) (local.get $hi))) (local.get $stds)))))
        (local.set $bits (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32x4.add (local.get $d) (local.get $one)))
        (local.set $a (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32x4.add (local.get $c) (i32x4.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32x4.add (v128.or (i32x4.shl (local.get $c) (i32.const 21)) (i32x4.shr_u (local.get $c) (i32.const 11))) (local.get $bits)))
        (v128.store offset=2144 (i32.const 0) (local.get $bits))
        ;; group 3: this block's draws (staged by the turn before), then the next block's staged
        (local.set $bits (v128.load offset=2160 (i32.const 0)))
        (v128.store offset=48 (local.get $at) (local.get $bits))
        (local.set $lo (v128.load64_zero offset=64 (i32.shl (i32.load8_u offset=2160 (i32.const 0)) (i32.const 3))))
        (local.set $lo (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u offset=2164 (i32.const 0)) (i32.const 3)) (local.get $lo)))
        (local.set $hi (v128.load64_zero offset=64 (i32.shl (i32.load8_u offset=2168 (i32.const 0)) (i32.const 3))))
        (local.set $hi (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u offset=2172 (i32.const 0)) (i32.const 3)) (local.get $hi)))
        (local.set $u (i32x4.shr_s (local.get $bits) (i32.const 8)))
        (local.set $ok3 (i32x4.lt_s (i32x4.abs (local.get $u)) (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $lo) (local.get $hi))))
        (v128.store offset=48 (local.get $i) (f32x4.add (v128.load offset=48 (local.get $from))
          (v128.and (local.get $ok3) (f32x4.mul (f32x4.mul (f32x4.convert_i32x4_s (local.get $u))
            (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $lo) (local.get $hi))) (local.get $stds)))))
        (local.set $bits (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32x4.add (local.get $d) (local.get $one)))
        (local.set $a (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32x4.add (local.get $c) (i32x4.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32x4.add (v128.or (i32x4.shl (local.get $c) (i32.const 21)) (i32x4.shr_u (local.get $c) (i32.const 11))) (local.get $bits)))
        (v128.store offset=2160 (i32.const 0) (local.get $bits))
        ;; The record's header, kept (the pointer moves on) only when a value missed: the first value's address, the values' ok bits.
        (local.set $mask (i8x16.bitmask (i8x16.narrow_i16x8_s
          (i16x8.narrow_i32x4_s (local.get $ok0) (local.get $ok1)) (i16x8.narrow_i32x4_s (local.get $ok2) (local.get $ok3)))))
        (i32.store offset=64 (local.get $at) (local.get $i))
        (i32.store offset=68 (local.get $at) (local.get $mask))
        (local.set $at (i32.add (local.get $at) (i32.mul (i32.ne (local.get $mask) (i32.const 0xffff)) (i32.const 80))))
        (local.set $from (i32.add (local.get $from) (local.get $step)))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $block)))
    ;; The last $rest values (a partial block) from the next;; block's staged draws (the stream's next groups, lane k % 4 of group k / 4 as before), a group at
    ;; a time: each group's store keeps what was past the array (the array's padding is not ours, so
    ;; the lanes past $rest are the bytes that were there: a read, a select and the same write), its
    ;; record's bits set for those lanes (nothing to finish); then the lanes stepped once per group
    ;; drawn from the state after the whole blocks, as a group at a time leaves them. In the kernel
    ;; rather than a second call and JS that sets the lanes back (W1's arrays of 1,000, 500 and 1:
    ;; three of its four a step end in a partial block, where those calls cost more than the draws).
    (if (local.get $rest) (then
      (v128.store offset=0 (local.get $at) (v128.load offset=2112 (i32.const 0)))
      (v128.store offset=16 (local.get $at) (v128.load offset=2128 (i32.const 0)))
      (v128.store offset=32 (local.get $at) (v128.load offset=2144 (i32.const 0)))
      (v128.store offset=48 (local.get $at) (v128.load offset=2160 (i32.const 0)))
      (local.set $mask (i32.const 0xffff))
      (local.set $g (i32.const 0))
      (loop $group
        (local.set $bits (v128.load offset=2112 (local.get $g)))
        (local.set $lo (v128.load64_zero offset=64 (i32.shl (i32.load8_u offset=2112 (local.get $g)) (i32.const 3))))
        (local.set $lo (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u offset=2116 (local.get $g)) (i32.const 3)) (local.get $lo)))
        (local.set $hi (v128.load64_zero offset=64 (i32.shl (i32.load8_u offset=2120 (local.get $g)) (i32.const 3))))
        (local.set $hi (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u offset=2124 (local.get $g)) (i32.const 3)) (local.get $hi)))
        (local.set $u (i32x4.shr_s (local.get $bits) (i32.const 8)))
        (local.set $ok0 (i32x4.lt_s (i32x4.abs (local.get $u)) (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $lo) (local.get $hi))))
        ;; The group's lanes inside the array: lane j where 4 · group + j < $rest ($g is the group's byte offset, 16 a group).
        (local.set $t (i32x4.lt_s (v128.const i32x4 0 1 2 3) (i32x4.splat (i32.sub (local.get $rest) (i32.shr_u (local.get $g) (i32.const 2))))))
        (v128.store (i32.add (local.get $i) (local.get $g)) (v128.bitselect
          (f32x4.add (v128.load (i32.add (local.get $from) (local.get $g)))
            (v128.and (local.get $ok0) (f32x4.mul (f32x4.mul (f32x4.convert_i32x4_s (local.get $u))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $lo) (local.get $hi))) (local.get $stds))))
          (v128.load (i32.add (local.get $i) (local.get $g)))
          (local.get $t)))
        ;; A missed lane inside the array clears its bit.
        (local.set $mask (i32.xor (local.get $mask) (i32.shl (i32.xor (i32x4.bitmask (v128.or (local.get $ok0) (v128.not (local.get $t)))) (i32.const 15))
          (i32.shr_u (local.get $g) (i32.const 2)))))
        (local.set $bits (i32x4.add (i32x4.add (local.get $a0) (local.get $b0)) (local.get $d0)))
        (local.set $d0 (i32x4.add (local.get $d0) (local.get $one)))
        (local.set $a0 (v128.xor (local.get $b0) (i32x4.shr_u (local.get $b0) (i32.const 9))))
        (local.set $b0 (i32x4.add (local.get $c0) (i32x4.shl (local.get $c0) (i32.const 3))))
        (local.set $c0 (i32x4.add (v128.or (i32x4.shl (local.get $c0) (i32.const 21)) (i32x4.shr_u (local.get $c0) (i32.const 11))) (local.get $bits)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br_if $group (i32.lt_u (local.get $g) (i32.shl (local.get $rest) (i32.const 2)))))
      (i32.store offset=64 (local.get $at) (local.get $i))
      (i32.store offset=68 (local.get $at) (local.get $mask))
      (local.set $at (i32.add (local.get $at) (i32.mul (i32.ne (local.get $mask) (i32.const 0xffff)) (i32.const 80))))))
    (v128.store (i32.const 0) (local.get $a0))
    (v128.store (i32.const 16) (local.get $b0))
    (v128.store (i32.const 32) (local.get $c0))
    (v128.store (i32.const 48) (local.get $d0))
    (i32.div_u (i32.sub (local.get $at) (local.get $misses)) (i32.const 80)))
  ;; Rng.nextUint32 (as i32) on the state in the globals.
  (func $next (result i32)
    (local $t i32)
    (local.set $t (i32.add (i32.add (global.get $s0) (global.get $s1)) (global.get $s3)))
    (global.set $s3 (i32.add (global.get $s3) (i32.const 1)))
    (global.set $s0 (i32.xor (global.get $s1) (i32.shr_u (global.get $s1) (i32.const 9))))
    (global.set $s1 (i32.add (global.get $s2) (i32.shl (global.get $s2) (i32.const 3))))
    (global.set $s2 (i32.add (i32.rotl (global.get $s2) (i32.const 21)) (local.get $t)))
    (local.get $t))

  ;; ziggurat.ts zigguratEdge, operation for operation in f64 (the same values): a draw `u` of
  ;; `layer` outside its rectangle, finished from the JS generator. $tab: the f64 tables, W at +16,
  ;; F at +2064, the lower squeeze lines' intercepts at +4112 and slopes at +6160, the upper ones'
  ;; at +8208 and +10256 (ziggurat.ts EDGE).
  (func $edge (param $tab i32) (param $layer i32) (param $u i32) (result f64)
    (local $x f64) (local $t f64) (local $y f64) (local $at i32) (local $bits i32)
    (loop $again
      (local.set $at (i32.add (local.get $tab) (i32.shl (local.get $layer) (i32.const 3))))
      (local.set $x (f64.mul (f64.convert_i32_s (local.get $u)) (f64.load offset=16 (local.get $at))))
      (if (i32.eqz (local.get $layer)) (then
        ;; The tail beyond R, by Marsaglia's exponential method; (t + 0.5) / 2³² is openUniform.
        (loop $tail
          (local.set $t (f64.div (f64.neg (call $log (f64.div (f64.add (f64.convert_i32_u (call $next)) (f64.const 0.5)) (f64.const 4294967296))))
            (f64.const 3.6541528853610088)))
          (local.set $y (f64.neg (call $log (f64.div (f64.add (f64.convert_i32_u (call $next)) (f64.const 0.5)) (f64.const 4294967296)))))
          (br_if $tail (f64.lt (f64.add (local.get $y) (local.get $y)) (f64.mul (local.get $t) (local.get $t)))))
        (return (select (f64.add (f64.const 3.6541528853610088) (local.get $t)) (f64.sub (f64.const -3.6541528853610088) (local.get $t))
          (i32.gt_s (local.get $u) (i32.const 0))))))
      ;; The wedge: y uniform between the layer's edges (F[l] + uniform · (F[l−1] − F[l])), under the line or the curve.
      (local.set $y (f64.add (f64.load offset=2064 (local.get $at))
        (f64.mul (f64.div (f64.convert_i32_u (call $next)) (f64.const 4294967296))
          (f64.sub (f64.load offset=2056 (local.get $at)) (f64.load offset=2064 (local.get $at))))))
      (if (f64.lt (local.get $y) (f64.sub (f64.add (f64.load offset=4112 (local.get $at)) (f64.mul (f64.load offset=6160 (local.get $at)) (f64.abs (local.get $x)))) (f64.const 1e-12)))
        (then (return (local.get $x))))
      ;; Above the upper line: above the curve, no exp needed.
      (if (i32.eqz (f64.gt (local.get $y) (f64.add (f64.add (f64.load offset=8208 (local.get $at)) (f64.mul (f64.load offset=10256 (local.get $at)) (f64.abs (local.get $x)))) (f64.const 1e-12))))
        (then (if (f64.lt (local.get $y) (call $exp (f64.mul (f64.mul (f64.const -0.5) (local.get $x)) (local.get $x))))
          (then (return (local.get $x))))))
      (local.set $bits (call $next))
      (local.set $layer (i32.and (local.get $bits) (i32.const 255)))
      (local.set $u (i32.shr_s (local.get $bits) (i32.const 8)))
      ;; |u| < ⌈K⌉ (the kernel's table at 64): inside the new layer's rectangle.
      (br_if $again (i32.ge_s (select (local.get $u) (i32.sub (i32.const 0) (local.get $u)) (i32.ge_s (local.get $u) (i32.const 0)))
        (i32.load offset=64 (i32.shl (local.get $layer) (i32.const 3))))))
    (f64.mul (f64.convert_i32_s (local.get $u)) (f64.load offset=16 (i32.add (local.get $tab) (i32.shl (local.get $layer) (i32.const 3))))))

  ;; $edge's common case without its unpredictable branches (a miss's wedge test is a coin toss
  ;; that a branch mispredicts half the time): a wedge point decided by the lines (the exp only
  ;; between them), then the draw after a rejection taken and kept only when rejected (selects,
  ;; compiled to conditional moves), its value when it is inside its rectangle. The tail, and a
  ;; rejection whose next draw misses too, go on in $edge, from the same state as it would be.
  (func $wedge (param $tab i32) (param $layer i32) (param $u i32) (result f64)
    (local $x f64) (local $y f64) (local $ax f64) (local $at i32) (local $accept i32) (local $t i32) (local $u2 i32) (local $at2 i32)
    (if (i32.eqz (local.get $layer)) (then (return (call $edge (local.get $tab) (local.get $layer) (local.get $u)))))
    (local.set $at (i32.add (local.get $tab) (i32.shl (local.get $layer) (i32.const 3))))
    (local.set $x (f64.mul (f64.convert_i32_s (local.get $u)) (f64.load offset=16 (local.get $at))))
    (local.set $y (f64.add (f64.load offset=2064 (local.get $at))
      (f64.mul (f64.div (f64.convert_i32_u (call $next)) (f64.const 4294967296))
        (f64.sub (f64.load offset=2056 (local.get $at)) (f64.load offset=2064 (local.get $at))))))
    (local.set $ax (f64.abs (local.get $x)))
    (local.set $accept (f64.lt (local.get $y) (f64.sub (f64.add (f64.load offset=4112 (local.get $at)) (f64.mul (f64.load offset=6160 (local.get $at)) (local.get $ax))) (f64.const 1e-12))))
    ;; Between the lines (rare): the exp decides.
    (if (i32.eqz (i32.or (local.get $accept)
          (f64.gt (local.get $y) (f64.add (f64.add (f64.load offset=8208 (local.get $at)) (f64.mul (f64.load offset=10256 (local.get $at)) (local.get $ax))) (f64.const 1e-12)))))
      (then (local.set $accept (f64.lt (local.get $y) (call $exp (f64.mul (f64.mul (f64.const -0.5) (local.get $x)) (local.get $x)))))))
    ;; The next draw ($next's arithmetic), its state kept only on a rejection.
    (local.set $t (i32.add (i32.add (global.get $s0) (global.get $s1)) (global.get $s3)))
    (global.set $s0 (select (global.get $s0) (i32.xor (global.get $s1) (i32.shr_u (global.get $s1) (i32.const 9))) (local.get $accept)))
    (global.set $s1 (select (global.get $s1) (i32.add (global.get $s2) (i32.shl (global.get $s2) (i32.const 3))) (local.get $accept)))
    (global.set $s2 (select (global.get $s2) (i32.add (i32.rotl (global.get $s2) (i32.const 21)) (local.get $t)) (local.get $accept)))
    (global.set $s3 (i32.add (global.get $s3) (i32.eqz (local.get $accept))))
    (local.set $u2 (i32.shr_s (local.get $t) (i32.const 8)))
    (local.set $at2 (i32.shl (i32.and (local.get $t) (i32.const 255)) (i32.const 3)))
    ;; Rejected, and the new draw outside its rectangle (|u| ≥ ⌈K⌉): $edge goes on with it.
    (if (i32.and (i32.eqz (local.get $accept))
          (i32.ge_s (select (local.get $u2) (i32.sub (i32.const 0) (local.get $u2)) (i32.ge_s (local.get $u2) (i32.const 0))) (i32.load offset=64 (local.get $at2))))
      (then (return (call $edge (local.get $tab) (i32.and (local.get $t) (i32.const 255)) (local.get $u2)))))
    (f64.reinterpret_i64 (select (i64.reinterpret_f64 (local.get $x))
      (i64.reinterpret_f64 (f64.mul (f64.convert_i32_s (local.get $u2)) (f64.load offset=16 (i32.add (local.get $tab) (local.get $at2)))))
      (local.get $accept))))

  ;; The `count` records at $records of the blocks `normals` left with misses, finished in order:
  ;; each missed lane whose index (from the chunk's first value, at byte $values) is below $limit
  ;; gets mean + std·z, or with $add = 1 the value at $src + 4·index plus std·z, in f64 rounded
  ;; once to f32 (ziggurat.ts normalsAt's JS form); with $add = 2 the value at $src plus mean + std·z
  ;; rounded to f32 first (a float32 array of noise added, as activation noise's fill and add).
  ;; The generator's state is at $tab, read and written back.
  (func (export "finish") (param $count i32) (param $records i32) (param $values i32) (param $src i32) (param $add i32)
      (param $limit i32) (param $mean f64) (param $std f64) (param $tab i32)
    (local $end i32) (local $lane i32) (local $index i32) (local $z f64) (local $first i32) (local $missed i32) (local $bits i32)
    (global.set $s0 (i32.load (local.get $tab)))
    (global.set $s1 (i32.load offset=4 (local.get $tab)))
    (global.set $s2 (i32.load offset=8 (local.get $tab)))
    (global.set $s3 (i32.load offset=12 (local.get $tab)))
    (local.set $end (i32.add (local.get $records) (i32.mul (local.get $count) (i32.const 80))))
    (block $done (loop $record
      (br_if $done (i32.ge_u (local.get $records) (local.get $end)))
      ;; The values that missed, in order (lowest first), but none past $limit (a last partial block).
      (local.set $first (i32.shr_u (i32.sub (i32.load offset=64 (local.get $records)) (local.get $values)) (i32.const 2)))
      (local.set $missed (i32.xor (i32.load offset=68 (local.get $records)) (i32.const 0xffff)))
      (if (i32.lt_u (i32.sub (local.get $limit) (local.get $first)) (i32.const 16))
        (then (local.set $missed (i32.and (local.get $missed) (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $limit) (local.get $first))) (i32.const 1))))))
      (block $lanesDone (loop $lanes
        (br_if $lanesDone (i32.eqz (local.get $missed)))
        (local.set $lane (i32.ctz (local.get $missed)))
        (local.set $missed (i32.and (local.get $missed) (i32.sub (local.get $missed) (i32.const 1))))
        (local.set $index (i32.add (local.get $first) (local.get $lane)))
        (local.set $bits (i32.load (i32.add (local.get $records) (i32.shl (local.get $lane) (i32.const 2)))))
        (local.set $z (call $wedge (local.get $tab) (i32.and (local.get $bits) (i32.const 255)) (i32.shr_s (local.get $bits) (i32.const 8))))
        (f32.store (i32.add (local.get $values) (i32.shl (local.get $index) (i32.const 2)))
          (if (result f32) (i32.eq (local.get $add) (i32.const 2))
            (then (f32.add (f32.load (i32.add (local.get $src) (i32.shl (local.get $index) (i32.const 2))))
              (f32.demote_f64 (f64.add (local.get $mean) (f64.mul (local.get $std) (local.get $z))))))
            (else (f32.demote_f64 (f64.add
              (if (result f64) (local.get $add)
                (then (f64.promote_f32 (f32.load (i32.add (local.get $src) (i32.shl (local.get $index) (i32.const 2))))))
                (else (local.get $mean)))
              (f64.mul (local.get $std) (local.get $z)))))))
        (br $lanes)))
      (local.set $records (i32.add (local.get $records) (i32.const 80)))
      (br $record)))
    (i32.store (local.get $tab) (global.get $s0))
    (i32.store offset=4 (local.get $tab) (global.get $s1))
    (i32.store offset=8 (local.get $tab) (global.get $s2))
    (i32.store offset=12 (local.get $tab) (global.get $s3))))
