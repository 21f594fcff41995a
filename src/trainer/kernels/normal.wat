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
;; a missed lane's value is left undefined (in an add: the value plus 0) and `finish` completes
;; it, zigguratEdge's arithmetic on the JS generator's state (below).
;; Per group the table's four [⌈K⌉, W] pairs are gathered through the draws stored at 2112 and read
;; back a byte at a time (the layer is a lane's low byte): scalar loads rather than extract_lane,
;; whose shuffles were the loop's busiest port; and every group's record is written, kept only when
;; a lane missed, rather than a branch that ≈6 % of groups take unpredictably (2.0–2.2 → 1.2–1.3
;; ns a value on new draws, bench/normalKernel.ts).
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
    (local.get $count))
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

  ;; The `count` records at $records of the groups `normals` left with misses, finished in order:
  ;; each missed lane whose index (from the chunk's first value, at byte $values) is below $limit
  ;; gets mean + std·z, or with $add = 1 the value at $src + 4·index plus std·z, in f64 rounded
  ;; once to f32 (ziggurat.ts normalsAt's JS form); with $add = 2 the value at $src plus mean + std·z
  ;; rounded to f32 first (a float32 array of noise added, as activation noise's fill and add).
  ;; The generator's state is at $tab, read and written back.
  (func (export "finish") (param $count i32) (param $records i32) (param $values i32) (param $src i32) (param $add i32)
      (param $limit i32) (param $mean f64) (param $std f64) (param $tab i32)
    (local $end i32) (local $head i32) (local $lane i32) (local $index i32) (local $z f64) (local $first i32) (local $missed i32) (local $bits i32)
    (global.set $s0 (i32.load (local.get $tab)))
    (global.set $s1 (i32.load offset=4 (local.get $tab)))
    (global.set $s2 (i32.load offset=8 (local.get $tab)))
    (global.set $s3 (i32.load offset=12 (local.get $tab)))
    (local.set $end (i32.add (local.get $records) (i32.shl (local.get $count) (i32.const 5))))
    (block $done (loop $record
      (br_if $done (i32.ge_u (local.get $records) (local.get $end)))
      (local.set $head (i32.load offset=16 (local.get $records)))
      ;; The lanes that missed, in order (lowest first), but none past $limit (a last partial group).
      (local.set $first (i32.shr_u (local.get $head) (i32.const 4)))
      (local.set $missed (i32.and (i32.xor (local.get $head) (i32.const 15)) (i32.const 15)))
      (if (i32.lt_u (i32.sub (local.get $limit) (local.get $first)) (i32.const 4))
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
      (local.set $records (i32.add (local.get $records) (i32.const 32)))
      (br $record)))
    (i32.store (local.get $tab) (global.get $s0))
    (i32.store offset=4 (local.get $tab) (global.get $s1))
    (i32.store offset=8 (local.get $tab) (global.get $s2))
    (i32.store offset=12 (local.get $tab) (global.get $s3))))
