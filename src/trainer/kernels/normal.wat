;; Gaussian values four at a time (WebAssembly SIMD): the ziggurat's common case (random.ts) on
;; four sfc32 generators, one per lane. Compiled by `npm run kernels` into normal.wasm.ts.
;; Memory (imported, so that an instance can work in place in the fused step's heap): the lanes'
;; states a, b, c, d (i32x4 each) at 0; the table at 64, per layer 8 bytes, ⌈K⌉ (i32) then W
;; (f32), for 256 layers; the values at byte `values` (16 · quads bytes, all written); the misses
;; list at byte `misses`. Fixed addresses for the state and the table: an offset to add per group cost 7–18 %. `normals` makes `quads` groups of four values, mean + std·z (or, with `add`,
;; adds std·z to the values there) and returns how many draws fell outside their layer's
;; rectangle: for each, in order, it lists the value's index and the draw's 32 bits, leaves the
;; value as it was, and JS finishes it (rng.zigguratEdge).
(module
  (import "env" "memory" (memory 1))
  (func (export "normals") (param $quads i32) (param $mean f32) (param $std f32) (param $add i32) (param $misses i32) (param $values i32) (result i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $bits v128) (local $at v128)
    (local $u v128) (local $lo v128) (local $hi v128) (local $ok v128) (local $z v128) (local $old v128)
    (local $i i32) (local $end i32) (local $count i32)
    (local.set $a (v128.load (i32.const 0)))
    (local.set $b (v128.load (i32.const 16)))
    (local.set $c (v128.load (i32.const 32)))
    (local.set $d (v128.load (i32.const 48)))
    (local.set $i (local.get $values))
    (local.set $end (i32.add (local.get $values) (i32.shl (local.get $quads) (i32.const 4))))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; sfc32, four lanes: bits = a + b + d; a = b ^ b >>> 9; b = c + c << 3; c = rotl(c, 21) + bits
        (local.set $bits (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (local.get $d)))
        (local.set $d (i32x4.add (local.get $d) (i32x4.splat (i32.const 1))))
        (local.set $a (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 9))))
        (local.set $b (i32x4.add (local.get $c) (i32x4.shl (local.get $c) (i32.const 3))))
        (local.set $c (i32x4.add
          (v128.or (i32x4.shl (local.get $c) (i32.const 21)) (i32x4.shr_u (local.get $c) (i32.const 11)))
          (local.get $bits)))
        ;; the layer from the low 8 bits, the signed value from the other 24; each lane's [⌈K⌉, W]
        (local.set $at (i32x4.shl (v128.and (local.get $bits) (i32x4.splat (i32.const 255))) (i32.const 3)))
        (local.set $u (i32x4.shr_s (local.get $bits) (i32.const 8)))
        (local.set $lo (v128.load64_lane offset=64 0 (i32x4.extract_lane 0 (local.get $at)) (local.get $lo)))
        (local.set $lo (v128.load64_lane offset=64 1 (i32x4.extract_lane 1 (local.get $at)) (local.get $lo)))
        (local.set $hi (v128.load64_lane offset=64 0 (i32x4.extract_lane 2 (local.get $at)) (local.get $hi)))
        (local.set $hi (v128.load64_lane offset=64 1 (i32x4.extract_lane 3 (local.get $at)) (local.get $hi)))
        (local.set $ok (i32x4.lt_s (i32x4.abs (local.get $u))
          (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $lo) (local.get $hi))))
        (local.set $z (f32x4.mul (f32x4.mul (f32x4.convert_i32x4_s (local.get $u))
          (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $lo) (local.get $hi)))
          (f32x4.splat (local.get $std))))
        (local.set $old (v128.load (local.get $i)))
        (v128.store (local.get $i)
          (v128.bitselect
            (if (result v128) (local.get $add)
              (then (f32x4.add (local.get $old) (local.get $z)))
              (else (f32x4.add (f32x4.splat (local.get $mean)) (local.get $z))))
            (local.get $old)
            (local.get $ok)))
        (if (i32.eqz (i32x4.all_true (local.get $ok)))
          (then
            (local.set $count (call $miss (i32.shr_u (i32.sub (local.get $i) (local.get $values)) (i32.const 2)) (i32x4.extract_lane 0 (local.get $ok)) (i32x4.extract_lane 0 (local.get $bits)) (local.get $misses) (local.get $count)))
            (local.set $count (call $miss (i32.add (i32.shr_u (i32.sub (local.get $i) (local.get $values)) (i32.const 2)) (i32.const 1)) (i32x4.extract_lane 1 (local.get $ok)) (i32x4.extract_lane 1 (local.get $bits)) (local.get $misses) (local.get $count)))
            (local.set $count (call $miss (i32.add (i32.shr_u (i32.sub (local.get $i) (local.get $values)) (i32.const 2)) (i32.const 2)) (i32x4.extract_lane 2 (local.get $ok)) (i32x4.extract_lane 2 (local.get $bits)) (local.get $misses) (local.get $count)))
            (local.set $count (call $miss (i32.add (i32.shr_u (i32.sub (local.get $i) (local.get $values)) (i32.const 2)) (i32.const 3)) (i32x4.extract_lane 3 (local.get $ok)) (i32x4.extract_lane 3 (local.get $bits)) (local.get $misses) (local.get $count)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $group)))
    (v128.store (i32.const 0) (local.get $a))
    (v128.store (i32.const 16) (local.get $b))
    (v128.store (i32.const 32) (local.get $c))
    (v128.store (i32.const 48) (local.get $d))
    (local.get $count))
  ;; Lists value `index` with its draw `bits` unless `ok`; returns the new number of misses.
  (func $miss (param $index i32) (param $ok i32) (param $bits i32) (param $misses i32) (param $count i32) (result i32)
    (if (result i32) (local.get $ok)
      (then (local.get $count))
      (else
        (i32.store (i32.add (local.get $misses) (i32.shl (local.get $count) (i32.const 3))) (local.get $index))
        (i32.store offset=4 (i32.add (local.get $misses) (i32.shl (local.get $count) (i32.const 3))) (local.get $bits))
        (i32.add (local.get $count) (i32.const 1))))))
