;; The matrix-vector products of a recurrent layer's step, four values at a time with WebAssembly
;; SIMD (f32x4), for ../layers/lstmKernel.ts and gruKernel.ts (one sequence and step per call).
;; Compiled by `npm run kernels` (wabt) into lstm.wasm.ts. Arguments are byte offsets into the
;; exported memory, 16-byte aligned; a kernel is `rows` rows of `stride` float32 values, row-major,
;; of which a call uses `cols` from where its offset points. Float32
;; throughout, as the wasm backend's matMul. `act` gives the gates' sigmoid and tanh from exp, a
;; polynomial on a range-reduced argument (relative error ≈ 2e-7, as Math.exp rounded to float32).
(module
  (memory (export "memory") 1)

  ;; In place on the n values from $at (their buffer padded to a multiple of four): tanh for the
  ;; indices in [lo, hi), the logistic sigmoid for the others; tanh(x) = 2·σ(2x) − 1, so each lane
  ;; computes a·σ(a·x) − b with (a, b) = (2, 1) or (1, 0).
  (func (export "act")
    (param $at i32) (param $n i32) (param $lo i32) (param $hi i32)
    (local $i i32) (local $index v128) (local $tanh v128) (local $a v128) (local $x v128)
    (local $y v128) (local $e v128) (local $r v128) (local $p v128)
    (local.set $index (v128.const i32x4 0 1 2 3))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $tanh (v128.and
          (i32x4.ge_s (local.get $index) (i32x4.splat (local.get $lo)))
          (i32x4.lt_s (local.get $index) (i32x4.splat (local.get $hi)))))
        (local.set $a (v128.bitselect (v128.const f32x4 2 2 2 2) (v128.const f32x4 1 1 1 1) (local.get $tanh)))
        (local.set $x (f32x4.mul (local.get $a) (v128.load (local.get $at))))
        ;; exp(−x), clamped to [−87.3, 88.3] (2^n stays a normal float32): −x = n·ln2 + r,
        ;; |r| ≤ ln2/2 (n is $e), exp(r) by its Taylor polynomial of degree 7 (Horner), times 2^n from its exponent bits.
        (local.set $y (f32x4.max (f32x4.min (f32x4.neg (local.get $x)) (v128.const f32x4 88.3 88.3 88.3 88.3)) (v128.const f32x4 -87.3 -87.3 -87.3 -87.3)))
        (local.set $e (f32x4.nearest (f32x4.mul (local.get $y) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
        ;; ln 2 in two parts (Cody and Waite), so that r keeps its low bits.
        (local.set $r (f32x4.sub (local.get $y) (f32x4.mul (local.get $e) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
        (local.set $r (f32x4.add (local.get $r) (f32x4.mul (local.get $e) (v128.const f32x4 2.12194440e-4 2.12194440e-4 2.12194440e-4 2.12194440e-4))))
        (local.set $p (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
        (local.set $p (f32x4.mul (local.get $p)
          (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $e)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (v128.store (local.get $at)
          (f32x4.sub
            (f32x4.div (local.get $a) (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $p)))
            (v128.and (local.get $tanh) (v128.const f32x4 1 1 1 1))))
        (local.set $index (i32x4.add (local.get $index) (v128.const i32x4 4 4 4 4)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $quad))))

;; z[j] += Σ_r in[r] · k[r·stride + j] for j < cols: the gates' pre-activations from [x_t, h_{t−1}]
  ;; (a GRU's candidate: some of the columns). Sixteen columns at a time (four accumulators), then
  ;; four, then one.
  (func (export "gemv")
    (param $z i32) (param $in i32) (param $k i32) (param $rows i32) (param $cols i32) (param $stride i32)
    (local $j i32) (local $r i32) (local $width i32) (local $at i32) (local $a v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $t f32)
    ;; $j and $width are byte offsets into a row, $stride a row's bytes.
    (local.set $width (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $stride (i32.shl (local.get $stride) (i32.const 2)))
    (block $blocks
      (loop $block
        (br_if $blocks (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $width)))
        (local.set $s0 (v128.load (i32.add (local.get $z) (local.get $j))))
        (local.set $s1 (v128.load offset=16 (i32.add (local.get $z) (local.get $j))))
        (local.set $s2 (v128.load offset=32 (i32.add (local.get $z) (local.get $j))))
        (local.set $s3 (v128.load offset=48 (i32.add (local.get $z) (local.get $j))))
        (local.set $r (i32.const 0))
        (local.set $at (i32.add (local.get $k) (local.get $j)))
        (block $rows_done
          (loop $row
            (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $a (v128.load32_splat (i32.add (local.get $in) (i32.shl (local.get $r) (i32.const 2)))))
            (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $a) (v128.load (local.get $at)))))
            (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $a) (v128.load offset=16 (local.get $at)))))
            (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $a) (v128.load offset=32 (local.get $at)))))
            (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $a) (v128.load offset=48 (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (local.get $stride)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $row)))
        (v128.store (i32.add (local.get $z) (local.get $j)) (local.get $s0))
        (v128.store offset=16 (i32.add (local.get $z) (local.get $j)) (local.get $s1))
        (v128.store offset=32 (i32.add (local.get $z) (local.get $j)) (local.get $s2))
        (v128.store offset=48 (i32.add (local.get $z) (local.get $j)) (local.get $s3))
        (local.set $j (i32.add (local.get $j) (i32.const 64)))
        (br $block)))
    (block $quads
      (loop $quad
        (br_if $quads (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $width)))
        (local.set $s0 (v128.load (i32.add (local.get $z) (local.get $j))))
        (local.set $r (i32.const 0))
        (local.set $at (i32.add (local.get $k) (local.get $j)))
        (block $rows_done
          (loop $row
            (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $s0 (f32x4.add (local.get $s0)
              (f32x4.mul (v128.load32_splat (i32.add (local.get $in) (i32.shl (local.get $r) (i32.const 2)))) (v128.load (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (local.get $stride)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $row)))
        (v128.store (i32.add (local.get $z) (local.get $j)) (local.get $s0))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $quad)))
    (block $singles
      (loop $single
        (br_if $singles (i32.ge_u (local.get $j) (local.get $width)))
        (local.set $t (f32.load (i32.add (local.get $z) (local.get $j))))
        (local.set $r (i32.const 0))
        (local.set $at (i32.add (local.get $k) (local.get $j)))
        (block $rows_done
          (loop $row
            (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $t (f32.add (local.get $t)
              (f32.mul (f32.load (i32.add (local.get $in) (i32.shl (local.get $r) (i32.const 2)))) (f32.load (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (local.get $stride)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $row)))
        (f32.store (i32.add (local.get $z) (local.get $j)) (local.get $t))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $single))))

  ;; For each row r: dk[r·stride + j] += in[r] · dz[j] (the kernel's gradient) and
  ;; din[r] = Σ_j dz[j] · k[r·stride + j] (the gradient of [x_t, h_{t−1}]), j < cols, in one pass
  ;; over the row: four columns at a time, then one.
  (func (export "backward")
    (param $dk i32) (param $din i32) (param $in i32) (param $dz i32) (param $k i32) (param $rows i32) (param $cols i32) (param $stride i32)
    (local $r i32) (local $j i32) (local $width i32) (local $row i32) (local $a v128) (local $d v128) (local $s v128)
    (local $as f32) (local $ds f32) (local $t f32)
    (local.set $width (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $stride (i32.shl (local.get $stride) (i32.const 2)))
    (block $rows_done
      (loop $next_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $as (f32.load (i32.add (local.get $in) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $a (f32x4.splat (local.get $as)))
        (local.set $row (i32.mul (local.get $r) (local.get $stride)))
        (local.set $s (v128.const f32x4 0 0 0 0))
        (local.set $t (f32.const 0))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $col
            (br_if $cols_done (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $width)))
            (local.set $d (v128.load (i32.add (local.get $dz) (local.get $j))))
            (v128.store (i32.add (local.get $dk) (i32.add (local.get $row) (local.get $j)))
              (f32x4.add (v128.load (i32.add (local.get $dk) (i32.add (local.get $row) (local.get $j)))) (f32x4.mul (local.get $a) (local.get $d))))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $k) (i32.add (local.get $row) (local.get $j)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $col)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $j) (local.get $width)))
            (local.set $ds (f32.load (i32.add (local.get $dz) (local.get $j))))
            (f32.store (i32.add (local.get $dk) (i32.add (local.get $row) (local.get $j)))
              (f32.add (f32.load (i32.add (local.get $dk) (i32.add (local.get $row) (local.get $j)))) (f32.mul (local.get $as) (local.get $ds))))
            (local.set $t (f32.add (local.get $t) (f32.mul (local.get $ds) (f32.load (i32.add (local.get $k) (i32.add (local.get $row) (local.get $j)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $tail)))
        (f32.store (i32.add (local.get $din) (i32.shl (local.get $r) (i32.const 2)))
          (f32.add
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
              (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s))))
            (local.get $t)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $next_row)))))
