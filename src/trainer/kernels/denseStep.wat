;; The fused dense training step's arithmetic (denseStep.ts, fusedMlp.ts), in f32x4 SIMD on arrays
;; that live in the memory it imports (the Adam kernel's, so adam.wat updates the same weights).
;; Compiled by `npm run kernels` (wabt) into denseStep.wasm.ts; a unit test checks the two agree.
;; Pointers are byte offsets; arrays are row-major. Every elementwise function runs over `q`
;; groups of four: its arrays are allocated in whole groups of four, and the values past an
;; array's end are zero where anything reads them (weights, gradients, moments).
(module
  (import "env" "memory" (memory 1))

  ;; The first value of four accumulators of C at (i, j): the bias row's, C's own (acc), or zero.
  (func $start4 (param $c i32) (param $bias i32) (param $acc i32) (param $i i32) (param $j i32) (param $n i32) (result v128)
    (if (result v128) (local.get $bias)
      (then (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
      (else (if (result v128) (local.get $acc)
        (then (v128.load (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2)))))
        (else (v128.const i32x4 0 0 0 0))))))

  ;; One value of C, for the columns that are not a whole group of eight: the same sum, in the same order of k.
  (func $cell (param $a i32) (param $sai i32) (param $sak i32) (param $b i32) (param $c i32)
      (param $k i32) (param $n i32) (param $bias i32) (param $acc i32) (param $i i32) (param $j i32) (param $relu i32)
    (local $s f32) (local $ap i32) (local $bp i32) (local $at i32)
    (local.set $at (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
    (local.set $s
      (if (result f32) (local.get $bias)
        (then (f32.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
        (else (if (result f32) (local.get $acc) (then (f32.load (local.get $at))) (else (f32.const 0))))))
    (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
    (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $k)))
      (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $ap)) (f32.load (local.get $bp)))))
      (local.set $ap (i32.add (local.get $ap) (local.get $sak)))
      (local.set $bp (i32.add (local.get $bp) (i32.shl (local.get $n) (i32.const 2))))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $next)))
    (if (local.get $relu) (then (local.set $s (f32.max (local.get $s) (f32.const 0)))))
    (f32.store (local.get $at) (local.get $s)))

  ;; *c = start + Σ a[i]·b[i] over k values, added in order (the order XNNPACK's matMul sums in, so
  ;; a layer of one unit gives TF.js' values bit for bit), four at a time to save the loop's overhead.
  (func $dot (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $start f32) (param $relu i32)
    (local $t f32)
    (local.set $t (local.get $start))
    (block $quads (loop $quad
      (br_if $quads (i32.lt_u (local.get $k) (i32.const 4)))
      (local.set $t (f32.add (local.get $t) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b)))))
      (local.set $t (f32.add (local.get $t) (f32.mul (f32.load offset=4 (local.get $a)) (f32.load offset=4 (local.get $b)))))
      (local.set $t (f32.add (local.get $t) (f32.mul (f32.load offset=8 (local.get $a)) (f32.load offset=8 (local.get $b)))))
      (local.set $t (f32.add (local.get $t) (f32.mul (f32.load offset=12 (local.get $a)) (f32.load offset=12 (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $k (i32.sub (local.get $k) (i32.const 4)))
      (br $quad)))
    (block $ones (loop $one
      (br_if $ones (i32.eqz (local.get $k)))
      (local.set $t (f32.add (local.get $t) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $one)))
    (if (local.get $relu) (then (local.set $t (f32.max (local.get $t) (f32.const 0)))))
    (f32.store (local.get $c) (local.get $t)))

  ;; Eight rows' dot products with one column b (a layer of one unit), each summed in k's order as
  ;; $dot sums it (so bit for bit $dot's values), eight rows at a time: a row's chain of dependent adds is
  ;; the limit, so four rows share each f32x4 add, their products at k..k+3 transposed into place.
  ;; c[0..8) = max(start + Σ a(i,k)·b[k], lo); rows at a + i·sai. `half`: only rows 0..3 (rows 4..7 repeat them, unstored).
  (func $dot8 (param $a i32) (param $sai i32) (param $b i32) (param $c i32) (param $k i32)
      (param $s0 v128) (param $s1 v128) (param $lo v128) (param $half i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $r4 i32) (local $r5 i32) (local $r6 i32) (local $r7 i32)
    (local $o i32) (local $end i32) (local $bv v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128)
    (local.set $r0 (local.get $a))
    (local.set $r1 (i32.add (local.get $r0) (local.get $sai)))
    (local.set $r2 (i32.add (local.get $r1) (local.get $sai)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $sai)))
    (local.set $r4 (i32.add (local.get $r3) (local.get $sai)))
    (local.set $r5 (i32.add (local.get $r4) (local.get $sai)))
    (local.set $r6 (i32.add (local.get $r5) (local.get $sai)))
    (local.set $r7 (i32.add (local.get $r6) (local.get $sai)))
    (if (local.get $half) (then
      (local.set $r4 (local.get $r0)) (local.set $r5 (local.get $r1)) (local.set $r6 (local.get $r2)) (local.set $r7 (local.get $r3))))
    (local.set $end (i32.shl (i32.and (local.get $k) (i32.const -4)) (i32.const 2)))
    (block $quads (loop $quad
      (br_if $quads (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $bv (v128.load (i32.add (local.get $b) (local.get $o))))
        (local.set $p0 (f32x4.mul (v128.load (i32.add (local.get $r0) (local.get $o))) (local.get $bv)))
        (local.set $p1 (f32x4.mul (v128.load (i32.add (local.get $r1) (local.get $o))) (local.get $bv)))
        (local.set $p2 (f32x4.mul (v128.load (i32.add (local.get $r2) (local.get $o))) (local.get $bv)))
        (local.set $p3 (f32x4.mul (v128.load (i32.add (local.get $r3) (local.get $o))) (local.get $bv)))
        (local.set $u0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $p0) (local.get $p1)))
        (local.set $u1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $p0) (local.get $p1)))
        (local.set $u2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $p2) (local.get $p3)))
        (local.set $u3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $p2) (local.get $p3)))
        (local.set $s0 (f32x4.add (local.get $s0) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u0) (local.get $u2))))
        (local.set $s0 (f32x4.add (local.get $s0) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u0) (local.get $u2))))
        (local.set $s0 (f32x4.add (local.get $s0) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u1) (local.get $u3))))
        (local.set $s0 (f32x4.add (local.get $s0) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u1) (local.get $u3))))
        (local.set $p0 (f32x4.mul (v128.load (i32.add (local.get $r4) (local.get $o))) (local.get $bv)))
        (local.set $p1 (f32x4.mul (v128.load (i32.add (local.get $r5) (local.get $o))) (local.get $bv)))
        (local.set $p2 (f32x4.mul (v128.load (i32.add (local.get $r6) (local.get $o))) (local.get $bv)))
        (local.set $p3 (f32x4.mul (v128.load (i32.add (local.get $r7) (local.get $o))) (local.get $bv)))
        (local.set $u0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $p0) (local.get $p1)))
        (local.set $u1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $p0) (local.get $p1)))
        (local.set $u2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $p2) (local.get $p3)))
        (local.set $u3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $p2) (local.get $p3)))
        (local.set $s1 (f32x4.add (local.get $s1) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u0) (local.get $u2))))
        (local.set $s1 (f32x4.add (local.get $s1) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u0) (local.get $u2))))
        (local.set $s1 (f32x4.add (local.get $s1) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u1) (local.get $u3))))
        (local.set $s1 (f32x4.add (local.get $s1) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u1) (local.get $u3))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $quad)))
    (local.set $end (i32.shl (local.get $k) (i32.const 2)))
    (block $ones (loop $one
      (br_if $ones (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $bv (f32x4.splat (f32.load (i32.add (local.get $b) (local.get $o)))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $bv)
          (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1 (f32x4.splat (f32.load (i32.add (local.get $r0) (local.get $o))))
            (f32.load (i32.add (local.get $r1) (local.get $o)))) (f32.load (i32.add (local.get $r2) (local.get $o)))) (f32.load (i32.add (local.get $r3) (local.get $o)))))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $bv)
          (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1 (f32x4.splat (f32.load (i32.add (local.get $r4) (local.get $o))))
            (f32.load (i32.add (local.get $r5) (local.get $o)))) (f32.load (i32.add (local.get $r6) (local.get $o)))) (f32.load (i32.add (local.get $r7) (local.get $o)))))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $one)))
    (v128.store (local.get $c) (f32x4.max (local.get $s0) (local.get $lo)))
    (if (i32.eqz (local.get $half)) (then (v128.store offset=16 (local.get $c) (f32x4.max (local.get $s1) (local.get $lo))))))

  ;; C[m×n] = start + Σₖ A(i,k)·B[k,j], with A(i,k) at a + i·sai + k·sak (bytes: A or Aᵀ as stored)
  ;; and B[k×n] row-major. Blocks of 4 rows × 8 columns keep 8 accumulators in registers over the
  ;; whole k; the rows left over go one at a time, the columns left over one value at a time.
  ;; start: the bias row (bias ≠ 0), C itself (acc ≠ 0), or zero; relu ≠ 0 stores max(0, C).
  (func (export "gemm") (param $a i32) (param $sai i32) (param $sak i32) (param $b i32) (param $c i32)
      (param $m i32) (param $k i32) (param $n i32) (param $bias i32) (param $acc i32) (param $relu i32)
    (local $i i32) (local $j i32) (local $kk i32) (local $ap i32) (local $bp i32) (local $cp i32) (local $sb i32)
    (local $sai2 i32) (local $sai3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $s v128) (local $lo v128) (local $half i32)
    ;; What a stored value is clipped to: max(v, −∞) = v keeps it, max(v, 0) is relu (inline: a call per store cost ≈ 6 % of W1's run).
    (local.set $lo (if (result v128) (local.get $relu) (then (v128.const f32x4 0 0 0 0)) (else (f32x4.splat (f32.const -inf)))))
    ;; One column with A's rows contiguous (a layer of one unit): eight rows at a time, then four, then a dot product per row.
    (if (i32.and (i32.eq (local.get $n) (i32.const 1)) (i32.eq (local.get $sak) (i32.const 4))) (then
      (block $rows8 (loop $row8
        (br_if $rows8 (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (local.set $half (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $m)))
        (local.set $cp (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2))))
        (if (local.get $bias)
          (then (local.set $c00 (v128.load32_splat (local.get $bias))) (local.set $c01 (local.get $c00)))
          (else (if (local.get $acc)
            (then (local.set $c00 (v128.load (local.get $cp)))
              (local.set $c01 (if (result v128) (local.get $half) (then (local.get $c00)) (else (v128.load offset=16 (local.get $cp))))))
            (else (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (local.get $c00))))))
        (call $dot8 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))) (local.get $sai) (local.get $b) (local.get $cp) (local.get $k)
          (local.get $c00) (local.get $c01) (local.get $lo) (local.get $half))
        (local.set $i (i32.add (local.get $i) (select (i32.const 4) (i32.const 8) (local.get $half))))
        (br $row8)))
      (block $rows (loop $row
        (br_if $rows (i32.ge_u (local.get $i) (local.get $m)))
        (call $dot (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))) (local.get $b) (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2)))
          (local.get $k) (if (result f32) (local.get $bias) (then (f32.load (local.get $bias)))
            (else (if (result f32) (local.get $acc) (then (f32.load (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2))))) (else (f32.const 0)))))
          (local.get $relu))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))
      (return)))
    (local.set $sb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $sai2 (i32.shl (local.get $sai) (i32.const 1)))
    (local.set $sai3 (i32.add (local.get $sai2) (local.get $sai)))
    (block $rows4 (loop $row4
      (br_if $rows4 (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (local.set $j (i32.const 0))
      (block $cols8 (loop $col8
        (br_if $cols8 (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
        ;; The start: one bias load shared by the four rows, C's own values, or zero (one branch a block).
        (local.set $cp (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
        (if (local.get $bias)
          (then
            (local.set $c00 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $c01 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $c10 (local.get $c00)) (local.set $c11 (local.get $c01))
            (local.set $c20 (local.get $c00)) (local.set $c21 (local.get $c01))
            (local.set $c30 (local.get $c00)) (local.set $c31 (local.get $c01)))
          (else (if (local.get $acc)
            (then
              (local.set $c00 (v128.load (local.get $cp)))
              (local.set $c01 (v128.load offset=16 (local.get $cp)))
              (local.set $c10 (v128.load (i32.add (local.get $cp) (local.get $sb))))
              (local.set $c11 (v128.load offset=16 (i32.add (local.get $cp) (local.get $sb))))
              (local.set $c20 (v128.load (i32.add (local.get $cp) (i32.shl (local.get $sb) (i32.const 1)))))
              (local.set $c21 (v128.load offset=16 (i32.add (local.get $cp) (i32.shl (local.get $sb) (i32.const 1)))))
              (local.set $c30 (v128.load (i32.add (local.get $cp) (i32.mul (local.get $sb) (i32.const 3)))))
              (local.set $c31 (v128.load offset=16 (i32.add (local.get $cp) (i32.mul (local.get $sb) (i32.const 3))))))
            (else
              (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (local.get $c00))
              (local.set $c10 (local.get $c00)) (local.set $c11 (local.get $c00))
              (local.set $c20 (local.get $c00)) (local.set $c21 (local.get $c00))
              (local.set $c30 (local.get $c00)) (local.set $c31 (local.get $c00))))))
        (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
        (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $kk (local.get $k))
        (block $done (loop $inner
          (br_if $done (i32.eqz (local.get $kk)))
          (local.set $b0 (v128.load (local.get $bp)))
          (local.set $b1 (v128.load offset=16 (local.get $bp)))
          (local.set $s (f32x4.splat (f32.load (local.get $ap))))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (f32x4.splat (f32.load (i32.add (local.get $ap) (local.get $sai)))))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (f32x4.splat (f32.load (i32.add (local.get $ap) (local.get $sai2)))))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (f32x4.splat (f32.load (i32.add (local.get $ap) (local.get $sai3)))))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $ap (i32.add (local.get $ap) (local.get $sak)))
          (local.set $bp (i32.add (local.get $bp) (local.get $sb)))
          (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
          (br $inner)))
        (v128.store (local.get $cp) (f32x4.max (local.get $c00) (local.get $lo)))
        (v128.store offset=16 (local.get $cp) (f32x4.max (local.get $c01) (local.get $lo)))
        (local.set $cp (i32.add (local.get $cp) (local.get $sb)))
        (v128.store (local.get $cp) (f32x4.max (local.get $c10) (local.get $lo)))
        (v128.store offset=16 (local.get $cp) (f32x4.max (local.get $c11) (local.get $lo)))
        (local.set $cp (i32.add (local.get $cp) (local.get $sb)))
        (v128.store (local.get $cp) (f32x4.max (local.get $c20) (local.get $lo)))
        (v128.store offset=16 (local.get $cp) (f32x4.max (local.get $c21) (local.get $lo)))
        (local.set $cp (i32.add (local.get $cp) (local.get $sb)))
        (v128.store (local.get $cp) (f32x4.max (local.get $c30) (local.get $lo)))
        (v128.store offset=16 (local.get $cp) (f32x4.max (local.get $c31) (local.get $lo)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $col8)))
      (block $tails (loop $tail
        (br_if $tails (i32.ge_u (local.get $j) (local.get $n)))
        (call $cell (local.get $a) (local.get $sai) (local.get $sak) (local.get $b) (local.get $c) (local.get $k) (local.get $n) (local.get $bias) (local.get $acc) (local.get $i) (local.get $j) (local.get $relu))
        (call $cell (local.get $a) (local.get $sai) (local.get $sak) (local.get $b) (local.get $c) (local.get $k) (local.get $n) (local.get $bias) (local.get $acc) (i32.add (local.get $i) (i32.const 1)) (local.get $j) (local.get $relu))
        (call $cell (local.get $a) (local.get $sai) (local.get $sak) (local.get $b) (local.get $c) (local.get $k) (local.get $n) (local.get $bias) (local.get $acc) (i32.add (local.get $i) (i32.const 2)) (local.get $j) (local.get $relu))
        (call $cell (local.get $a) (local.get $sai) (local.get $sak) (local.get $b) (local.get $c) (local.get $k) (local.get $n) (local.get $bias) (local.get $acc) (i32.add (local.get $i) (i32.const 3)) (local.get $j) (local.get $relu))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $row4)))
    ;; The rows left over, one at a time: eight columns at a time, then one value at a time.
    (block $rows1 (loop $row1
      (br_if $rows1 (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $j (i32.const 0))
      (block $cols8 (loop $col8
        (br_if $cols8 (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
        (local.set $c00 (call $start4 (local.get $c) (local.get $bias) (local.get $acc) (local.get $i) (local.get $j) (local.get $n)))
        (local.set $c01 (call $start4 (local.get $c) (local.get $bias) (local.get $acc) (local.get $i) (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
        (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $kk (local.get $k))
        (block $done (loop $inner
          (br_if $done (i32.eqz (local.get $kk)))
          (local.set $s (f32x4.splat (f32.load (local.get $ap))))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (v128.load (local.get $bp)))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bp)))))
          (local.set $ap (i32.add (local.get $ap) (local.get $sak)))
          (local.set $bp (i32.add (local.get $bp) (local.get $sb)))
          (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
          (br $inner)))
        (local.set $cp (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
        (v128.store (local.get $cp) (f32x4.max (local.get $c00) (local.get $lo)))
        (v128.store offset=16 (local.get $cp) (f32x4.max (local.get $c01) (local.get $lo)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $col8)))
      (block $tails (loop $tail
        (br_if $tails (i32.ge_u (local.get $j) (local.get $n)))
        (call $cell (local.get $a) (local.get $sai) (local.get $sak) (local.get $b) (local.get $c) (local.get $k) (local.get $n) (local.get $bias) (local.get $acc) (local.get $i) (local.get $j) (local.get $relu))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $row1))))

  ;; A clean forward of a network's last two layers where the last is one unit (evaluation and the
  ;; boundary grid): out = cb + Σⱼ act(b[j] + Σₖ x(i,k)·w[k,j])·v[j], act relu or linear, with 16 rows
  ;; to a pass in four f32x4 (a lane a row), so the hidden values never leave registers and the
  ;; output's sum needs no transpose. Each sum is in the order gemm's are (bias, then k; cb, then j),
  ;; so out is bit for bit gemm's then the one unit's dot. xt: xᵀ, k rows of `stride` bytes (the rows
  ;; padded to whole groups of 16); w[k×h] row-major; out: `groups` × 16 values.
  (func (export "head") (param $xt i32) (param $stride i32) (param $w i32) (param $b i32) (param $v i32) (param $cb i32)
      (param $out i32) (param $groups i32) (param $k i32) (param $h i32) (param $relu i32)
    (local $g i32) (local $j i32) (local $kk i32) (local $p i32) (local $wp i32) (local $wstride i32) (local $lo v128) (local $s v128)
    (local $x00 v128) (local $x01 v128) (local $x10 v128) (local $x11 v128) (local $x20 v128) (local $x21 v128) (local $x30 v128) (local $x31 v128)
    (local $w0 v128) (local $w1 v128) (local $sv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $z0 v128) (local $z1 v128) (local $z2 v128) (local $z3 v128)
    (local.set $lo (if (result v128) (local.get $relu) (then (v128.const f32x4 0 0 0 0)) (else (f32x4.splat (f32.const -inf)))))
    (local.set $wstride (i32.shl (local.get $h) (i32.const 2)))
    (block $groups (loop $group
      (br_if $groups (i32.ge_u (local.get $g) (local.get $groups)))
      (local.set $a0 (v128.load32_splat (local.get $cb)))
      (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
      (local.set $j (i32.const 0))
      ;; Two inputs (a 2-D plane's points, the boundary grid's): the rows' values held in registers.
      (if (i32.eq (local.get $k) (i32.const 2)) (then
        (local.set $p (i32.add (local.get $xt) (i32.shl (local.get $g) (i32.const 6))))
        (local.set $x00 (v128.load (local.get $p))) (local.set $x10 (v128.load offset=16 (local.get $p)))
        (local.set $x20 (v128.load offset=32 (local.get $p))) (local.set $x30 (v128.load offset=48 (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $x01 (v128.load (local.get $p))) (local.set $x11 (v128.load offset=16 (local.get $p)))
        (local.set $x21 (v128.load offset=32 (local.get $p))) (local.set $x31 (v128.load offset=48 (local.get $p)))
        (local.set $j (local.get $h))
        (local.set $wp (local.get $w))
        (block $units2 (loop $unit2
          (br_if $units2 (i32.eqz (local.get $j)))
          (local.set $w0 (v128.load32_splat (local.get $wp)))
          (local.set $w1 (v128.load32_splat (i32.add (local.get $wp) (local.get $wstride))))
          (local.set $s (v128.load32_splat (local.get $b)))
          (local.set $sv (v128.load32_splat (local.get $v)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (f32x4.max
          (f32x4.add (f32x4.add (local.get $s) (f32x4.mul (local.get $x00) (local.get $w0))) (f32x4.mul (local.get $x01) (local.get $w1)))
          (local.get $lo)) (local.get $sv))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (f32x4.max
          (f32x4.add (f32x4.add (local.get $s) (f32x4.mul (local.get $x10) (local.get $w0))) (f32x4.mul (local.get $x11) (local.get $w1)))
          (local.get $lo)) (local.get $sv))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (f32x4.max
          (f32x4.add (f32x4.add (local.get $s) (f32x4.mul (local.get $x20) (local.get $w0))) (f32x4.mul (local.get $x21) (local.get $w1)))
          (local.get $lo)) (local.get $sv))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (f32x4.max
          (f32x4.add (f32x4.add (local.get $s) (f32x4.mul (local.get $x30) (local.get $w0))) (f32x4.mul (local.get $x31) (local.get $w1)))
          (local.get $lo)) (local.get $sv))))
          (local.set $wp (i32.add (local.get $wp) (i32.const 4)))
          (local.set $b (i32.add (local.get $b) (i32.const 4)))
          (local.set $v (i32.add (local.get $v) (i32.const 4)))
          (local.set $j (i32.sub (local.get $j) (i32.const 1)))
          (br $unit2)))
        (local.set $b (i32.sub (local.get $b) (local.get $wstride)))
        (local.set $v (i32.sub (local.get $v) (local.get $wstride)))
        (local.set $j (local.get $h))))
      (block $units (loop $unit
        (br_if $units (i32.ge_u (local.get $j) (local.get $h)))
        (local.set $z0 (v128.load32_splat (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $z1 (local.get $z0)) (local.set $z2 (local.get $z0)) (local.set $z3 (local.get $z0))
        (local.set $p (i32.add (local.get $xt) (i32.shl (local.get $g) (i32.const 6))))
        (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $kk (local.get $k))
        (block $done (loop $inner
          (br_if $done (i32.eqz (local.get $kk)))
          (local.set $s (v128.load32_splat (local.get $wp)))
          (local.set $z0 (f32x4.add (local.get $z0) (f32x4.mul (v128.load (local.get $p)) (local.get $s))))
          (local.set $z1 (f32x4.add (local.get $z1) (f32x4.mul (v128.load offset=16 (local.get $p)) (local.get $s))))
          (local.set $z2 (f32x4.add (local.get $z2) (f32x4.mul (v128.load offset=32 (local.get $p)) (local.get $s))))
          (local.set $z3 (f32x4.add (local.get $z3) (f32x4.mul (v128.load offset=48 (local.get $p)) (local.get $s))))
          (local.set $p (i32.add (local.get $p) (local.get $stride)))
          (local.set $wp (i32.add (local.get $wp) (local.get $wstride)))
          (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
          (br $inner)))
        (local.set $s (v128.load32_splat (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (f32x4.max (local.get $z0) (local.get $lo)) (local.get $s))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (f32x4.max (local.get $z1) (local.get $lo)) (local.get $s))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (f32x4.max (local.get $z2) (local.get $lo)) (local.get $s))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (f32x4.max (local.get $z3) (local.get $lo)) (local.get $s))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $unit)))
      (v128.store (local.get $out) (local.get $a0))
      (v128.store offset=16 (local.get $out) (local.get $a1))
      (v128.store offset=32 (local.get $out) (local.get $a2))
      (v128.store offset=48 (local.get $out) (local.get $a3))
      (local.set $out (i32.add (local.get $out) (i32.const 64)))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $group))))

  ;; dst[c×r] = src[r×c]ᵀ.
  (func (export "transpose") (param $src i32) (param $dst i32) (param $r i32) (param $c i32)
    (local $i i32) (local $j i32)
    (block $rows (loop $row
      (br_if $rows (i32.ge_u (local.get $i) (local.get $r)))
      (local.set $j (i32.const 0))
      (block $cols (loop $col
        (br_if $cols (i32.ge_u (local.get $j) (local.get $c)))
        (f32.store
          (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $r)) (local.get $i)) (i32.const 2)))
          (f32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $c)) (local.get $j)) (i32.const 2)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $col)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $row))))

  ;; eˣ of four values (Cephes' expf: x = n·ln2 + r, a degree-5 polynomial in r, times 2ⁿ), within
  ;; ≈2 ulp of Math.exp for x in [−87, 88]; inputs outside are clamped there.
  (func $exp (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (f32x4.splat (f32.const -87.3))) (f32x4.splat (f32.const 88.3))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))))
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375)))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r)) (f32x4.splat (f32.const 1))))
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23))))

  ;; h = act(z) for q groups of four. kind: 0 linear, 1 relu, 2 tanh, 3 sigmoid, 4 elu, 5 selu.
  (func (export "activate") (param $z i32) (param $h i32) (param $q i32) (param $kind i32)
    (local $x v128) (local $e v128) (local $y v128)
    ;; relu, the common case, in a loop of its own.
    (if (i32.eq (local.get $kind) (i32.const 1)) (then
      (block $done (loop $next
        (br_if $done (i32.eqz (local.get $q)))
        (v128.store (local.get $h) (f32x4.max (v128.load (local.get $z)) (v128.const f32x4 0 0 0 0)))
        (local.set $z (i32.add (local.get $z) (i32.const 16)))
        (local.set $h (i32.add (local.get $h) (i32.const 16)))
        (local.set $q (i32.sub (local.get $q) (i32.const 1)))
        (br $next)))
      (return)))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $q)))
      (local.set $x (v128.load (local.get $z)))
      (block $set
        (if (i32.le_u (local.get $kind) (i32.const 1)) (then
          (local.set $y (if (result v128) (local.get $kind) (then (f32x4.max (local.get $x) (v128.const f32x4 0 0 0 0))) (else (local.get $x))))
          (br $set)))
        (if (i32.eq (local.get $kind) (i32.const 2)) (then
          ;; tanh x = 1 − 2/(e²ˣ + 1)
          (local.set $e (call $exp (f32x4.add (local.get $x) (local.get $x))))
          (local.set $y (f32x4.sub (f32x4.splat (f32.const 1))
            (f32x4.div (f32x4.splat (f32.const 2)) (f32x4.add (local.get $e) (f32x4.splat (f32.const 1))))))
          (br $set)))
        (if (i32.eq (local.get $kind) (i32.const 3)) (then
          (local.set $e (call $exp (f32x4.neg (local.get $x))))
          (local.set $y (f32x4.div (f32x4.splat (f32.const 1)) (f32x4.add (local.get $e) (f32x4.splat (f32.const 1)))))
          (br $set)))
        ;; elu: x > 0 ? x : eˣ − 1; selu: the same with α = 1.6732632, scaled by 1.0507010.
        (local.set $e (f32x4.sub (call $exp (local.get $x)) (f32x4.splat (f32.const 1))))
        (local.set $y (v128.bitselect (local.get $x) (local.get $e) (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0))))
        (if (i32.eq (local.get $kind) (i32.const 5)) (then
          (local.set $y (f32x4.mul (f32x4.splat (f32.const 1.0507009873554805))
            (v128.bitselect (local.get $x) (f32x4.mul (local.get $e) (f32x4.splat (f32.const 1.6732632423543772))) (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0))))))))
      (v128.store (local.get $h) (local.get $y))
      (local.set $z (i32.add (local.get $z) (i32.const 16)))
      (local.set $h (i32.add (local.get $h) (i32.const 16)))
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br $next))))

  ;; d ← d · act′ at z, with h = act(z), in place, for q groups of four (kinds as activate).
  (func (export "activateBack") (param $d i32) (param $z i32) (param $h i32) (param $q i32) (param $kind i32)
    (local $x v128) (local $y v128) (local $g v128) (local $pos v128)
    ;; relu, the common case, in a loop of its own (d where z > 0, else 0).
    (if (i32.eq (local.get $kind) (i32.const 1)) (then
      (block $done (loop $next
        (br_if $done (i32.eqz (local.get $q)))
        (v128.store (local.get $d) (v128.and (v128.load (local.get $d)) (f32x4.gt (v128.load (local.get $z)) (v128.const f32x4 0 0 0 0))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $z (i32.add (local.get $z) (i32.const 16)))
        (local.set $q (i32.sub (local.get $q) (i32.const 1)))
        (br $next)))
      (return)))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $q)))
      (local.set $x (v128.load (local.get $z)))
      (local.set $y (v128.load (local.get $h)))
      (local.set $pos (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0)))
      (local.set $g (v128.load (local.get $d)))
      (block $set
        (br_if $set (i32.eqz (local.get $kind)))
        (if (i32.eq (local.get $kind) (i32.const 1)) (then
          (local.set $g (v128.and (local.get $g) (local.get $pos)))
          (br $set)))
        (if (i32.eq (local.get $kind) (i32.const 2)) (then
          (local.set $g (f32x4.mul (local.get $g) (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $y) (local.get $y)))))
          (br $set)))
        (if (i32.eq (local.get $kind) (i32.const 3)) (then
          (local.set $g (f32x4.mul (local.get $g) (f32x4.mul (local.get $y) (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $y)))))
          (br $set)))
        (if (i32.eq (local.get $kind) (i32.const 4)) (then
          (local.set $g (v128.bitselect (local.get $g) (f32x4.mul (local.get $g) (f32x4.add (local.get $y) (f32x4.splat (f32.const 1)))) (local.get $pos)))
          (br $set)))
        ;; selu′ = scale for x > 0, h + scale·α below.
        (local.set $g (f32x4.mul (local.get $g) (v128.bitselect (f32x4.splat (f32.const 1.0507009873554805))
          (f32x4.add (local.get $y) (f32x4.splat (f32.const 1.7580993408473766))) (local.get $pos)))))
      (v128.store (local.get $d) (local.get $g))
      (local.set $d (i32.add (local.get $d) (i32.const 16)))
      (local.set $z (i32.add (local.get $z) (i32.const 16)))
      (local.set $h (i32.add (local.get $h) (i32.const 16)))
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br $next))))

  ;; dst = a · b elementwise (dropout's mask, multiplicative noise and their gradients).
  (func (export "mul") (param $dst i32) (param $a i32) (param $b i32) (param $q i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $q)))
      (v128.store (local.get $dst) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br $next))))

  ;; dst = a + b elementwise (additive noise).
  (func (export "add") (param $dst i32) (param $a i32) (param $b i32) (param $q i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $q)))
      (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br $next))))

  ;; y ← y + α·x (weight decay on a gradient; plain SGD with α = −lr).
  (func (export "axpy") (param $y i32) (param $x i32) (param $alpha f32) (param $q i32)
    (local $s v128)
    (local.set $s (f32x4.splat (local.get $alpha)))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $q)))
      (v128.store (local.get $y) (f32x4.add (v128.load (local.get $y)) (f32x4.mul (local.get $s) (v128.load (local.get $x)))))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br $next))))

  ;; Σ x² (a gradient's norm, squared, for clipping).
  (func (export "sumsq") (param $x i32) (param $q i32) (result f32)
    (local $s v128) (local $v v128)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $q)))
      (local.set $v (v128.load (local.get $x)))
      (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $v) (local.get $v))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br $next)))
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
      (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s)))))

  ;; x ← α·x.
  (func (export "scale") (param $x i32) (param $alpha f32) (param $q i32)
    (local $s v128)
    (local.set $s (f32x4.splat (local.get $alpha)))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $q)))
      (v128.store (local.get $x) (f32x4.mul (local.get $s) (v128.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br $next))))

  ;; tf.train.momentum's update: a ← μ·a + g; w ← w + (−lr)·a.
  (func (export "momentum") (param $w i32) (param $g i32) (param $acc i32) (param $q i32) (param $mu f32) (param $lr f32)
    (local $a v128)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $q)))
      (local.set $a (f32x4.add (f32x4.mul (f32x4.splat (local.get $mu)) (v128.load (local.get $acc))) (v128.load (local.get $g))))
      (v128.store (local.get $acc) (local.get $a))
      (v128.store (local.get $w) (f32x4.add (f32x4.mul (f32x4.splat (f32.neg (local.get $lr))) (local.get $a)) (v128.load (local.get $w))))
      (local.set $w (i32.add (local.get $w) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $acc (i32.add (local.get $acc) (i32.const 16)))
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br $next))))

  ;; tf.train.rmsprop's (not centered): s ← ρ·s + (1−ρ)·g²; m ← μ·m + lr·g/√(s + ε); w ← w − m.
  (func (export "rmsprop") (param $w i32) (param $g i32) (param $ms i32) (param $mom i32) (param $q i32)
      (param $rho f32) (param $mu f32) (param $lr f32) (param $eps f32)
    (local $gi v128) (local $s v128) (local $m v128)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $q)))
      (local.set $gi (v128.load (local.get $g)))
      (local.set $s (f32x4.add (f32x4.mul (v128.load (local.get $ms)) (f32x4.splat (local.get $rho)))
        (f32x4.mul (f32x4.mul (local.get $gi) (local.get $gi)) (f32x4.splat (f32.sub (f32.const 1) (local.get $rho))))))
      (local.set $m (f32x4.add (f32x4.mul (v128.load (local.get $mom)) (f32x4.splat (local.get $mu)))
        (f32x4.div (f32x4.mul (local.get $gi) (f32x4.splat (local.get $lr))) (f32x4.sqrt (f32x4.add (local.get $s) (f32x4.splat (local.get $eps)))))))
      (v128.store (local.get $ms) (local.get $s))
      (v128.store (local.get $mom) (local.get $m))
      (v128.store (local.get $w) (f32x4.sub (v128.load (local.get $w)) (local.get $m)))
      (local.set $w (i32.add (local.get $w) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $ms (i32.add (local.get $ms) (i32.const 16)))
      (local.set $mom (i32.add (local.get $mom) (i32.const 16)))
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br $next)))))
