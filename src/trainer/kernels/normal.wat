;; Gaussian values four at a time (WebAssembly SIMD): the ziggurat's common case (random.ts) on
;; four sfc32 generators, one per lane. Compiled by `npm run kernels` into normal.wasm.ts.
;; Memory (imported, so that an instance can work in place in the fused step's heap): the lanes'
;; states a, b, c, d (i32x4 each) at 0; the table at 64, per layer 8 bytes, ⌈K⌉ (i32) then W
;; (f32), for 256 layers; the group's draws at 2112 (16 bytes); the values at byte `values` (16 ·
;; quads bytes, all written); the misses' records at byte `misses`. Fixed addresses for the state
;; and the table: an offset to add per group cost 7–18 %. `normals` makes `quads` groups of four
;; values, mean + std·z (or, with `add`, the values at byte `src`, the same length, plus std·z: in
;; place when src = values, w + ε in one pass for weight noise) and returns how many groups had a
;; draw outside its layer's rectangle: for each, in order, a record of 32 bytes (the group's four
;; draws, then its first value's index · 16 + a bit per lane, set where the lane's value is done);
;; a missed lane's value is left undefined (in an add: the value plus 0) and JS finishes it
;; (ziggurat.ts zigguratEdge).
;; Per group the table's four [⌈K⌉, W] pairs are gathered through the draws stored at 2112 and read
;; back a byte at a time (the layer is a lane's low byte): scalar loads rather than extract_lane,
;; whose shuffles were the loop's busiest port; and every group's record is written, kept only when
;; a lane missed, rather than a branch that ≈6 % of groups take unpredictably (2.0–2.2 → 1.2–1.3
;; ns a value on new draws, bench/normalKernel.ts).
(module
  (import "env" "memory" (memory 1))
  (func (export "normals") (param $quads i32) (param $mean f32) (param $std f32) (param $add i32) (param $misses i32) (param $values i32) (param $src i32) (result i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $bits v128)
    (local $u v128) (local $lo v128) (local $hi v128) (local $ok v128) (local $z v128)
    (local $stds v128) (local $means v128) (local $one v128) (local $low v128)
    (local $i i32) (local $end i32) (local $count i32) (local $from i32) (local $mask i32) (local $at i32)
    (local.set $a (v128.load (i32.const 0)))
    (local.set $b (v128.load (i32.const 16)))
    (local.set $c (v128.load (i32.const 32)))
    (local.set $d (v128.load (i32.const 48)))
    (local.set $stds (f32x4.splat (local.get $std)))
    (local.set $means (f32x4.splat (local.get $mean)))
    (local.set $one (i32x4.splat (i32.const 1)))
    (local.set $i (local.get $values))
    (local.set $from (i32.sub (local.get $src) (local.get $values)))
    (local.set $end (i32.add (local.get $values) (i32.shl (local.get $quads) (i32.const 4))))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; sfc32, four lanes: bits = a + b + d; a = b ^ b >>> 9; b = c + c << 3; c = rotl(c, 21) + bits
        (local.set $bits (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32x4.add (local.get $d) (local.get $one)))
        (local.set $a (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32x4.add (local.get $c) (i32x4.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32x4.add
          (v128.or (i32x4.shl (local.get $c) (i32.const 21)) (i32x4.shr_u (local.get $c) (i32.const 11)))
          (local.get $bits)))
        ;; each lane's [⌈K⌉, W] at 64 + 8 · layer, the layer from its low 8 bits, the signed value from the other 24
        (v128.store (i32.const 2112) (local.get $bits))
        (local.set $lo (v128.load64_zero offset=64 (i32.shl (i32.load8_u (i32.const 2112)) (i32.const 3))))
        (local.set $lo (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u (i32.const 2116)) (i32.const 3)) (local.get $lo)))
        (local.set $hi (v128.load64_zero offset=64 (i32.shl (i32.load8_u (i32.const 2120)) (i32.const 3))))
        (local.set $hi (v128.load64_lane offset=64 1 (i32.shl (i32.load8_u (i32.const 2124)) (i32.const 3)) (local.get $hi)))
        (local.set $u (i32x4.shr_s (local.get $bits) (i32.const 8)))
        (local.set $ok (i32x4.lt_s (i32x4.abs (local.get $u))
          (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $lo) (local.get $hi))))
        ;; z = u · W · std where u is inside its rectangle, 0 at a miss (its value is JS's to write)
        (local.set $z (v128.and (local.get $ok) (f32x4.mul (f32x4.mul (f32x4.convert_i32x4_s (local.get $u))
          (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $lo) (local.get $hi)))
          (local.get $stds))))
        (v128.store (local.get $i)
          (f32x4.add
            (if (result v128) (local.get $add)
              (then (v128.load (i32.add (local.get $i) (local.get $from))))
              (else (local.get $means)))
            (local.get $z)))
        ;; the group's record, kept (the count moves on) only when a lane missed: its draws, then its first value's index · 16 + the lanes' ok bits
        (local.set $at (i32.add (local.get $misses) (i32.shl (local.get $count) (i32.const 5))))
        (v128.store (local.get $at) (local.get $bits))
        (local.set $mask (i32x4.bitmask (local.get $ok)))
        (i32.store offset=16 (local.get $at) (i32.or (i32.shl (i32.sub (local.get $i) (local.get $values)) (i32.const 2)) (local.get $mask)))
        (local.set $count (i32.add (local.get $count) (i32.ne (local.get $mask) (i32.const 15))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $group)))
    (v128.store (i32.const 0) (local.get $a))
    (v128.store (i32.const 16) (local.get $b))
    (v128.store (i32.const 32) (local.get $c))
    (v128.store (i32.const 48) (local.get $d))
    (local.get $count)))
