;; The conv net's loops (WebAssembly, SIMD over channels where four fit): max pooling with the
;; position of each window's maximum and its adjoint, im2col as a gather through an index table
;; and its adjoint, and relu's mask with the bias gradient. Compiled by `npm run kernels` into
;; conv.wasm.ts; conv.ts lays the arrays out in this memory. Pointers are byte offsets, counts are
;; elements (f32 or i32); an index table's −1 is padding (0). Every sum is in the order the JS
;; loops these replace used, in float32, so that training is bit for bit what it was.
(module
  (memory (export "memory") 1)

  ;; NHWC 'valid' max pooling of n images (h×w×c) into outH×outW×c: y, and in arg each maximum's
  ;; index in x. A window starts as its first pixel and takes a later value that is greater, or a
  ;; NaN (a NaN is kept: no comparison replaces it, only a later NaN), or with `last` an equal one
  ;; (ties: the last in row-major order, as tfjs-backend-wasm's MaxPoolGrad; else the first, as cpu's).
  (func (export "maxpool") (param $x i32) (param $y i32) (param $arg i32) (param $n i32) (param $h i32) (param $w i32) (param $c i32)
      (param $outH i32) (param $outW i32) (param $p i32) (param $s i32) (param $last i32)
    (local $img i32) (local $oy i32) (local $ox i32) (local $dy i32) (local $dx i32) (local $ch i32)
    (local $corner i32) (local $at i32) (local $out i32) (local $m i32)
    (local $vmax v128) (local $varg v128) (local $v v128) (local $vm v128) (local $vlast v128)
    (local $smax f32) (local $sarg i32) (local $sv f32)
    (local.set $vlast (i32x4.splat (i32.sub (i32.const 0) (i32.ne (local.get $last) (i32.const 0)))))
    (loop $images
      (local.set $oy (i32.const 0))
      (loop $rows
        (local.set $ox (i32.const 0))
        (loop $cols
          (local.set $corner (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $img) (local.get $h)) (i32.mul (local.get $oy) (local.get $s))) (local.get $w))
            (i32.mul (local.get $ox) (local.get $s))) (local.get $c)))
          (local.set $ch (i32.const 0))
          ;; four channels at a time
          (block $vdone
            (loop $vchannels
              (br_if $vdone (i32.gt_s (i32.add (local.get $ch) (i32.const 4)) (local.get $c)))
              (local.set $vmax (v128.load (i32.add (local.get $x) (i32.shl (i32.add (local.get $corner) (local.get $ch)) (i32.const 2)))))
              (local.set $varg (i32x4.add (i32x4.splat (i32.add (local.get $corner) (local.get $ch))) (v128.const i32x4 0 1 2 3)))
              (local.set $dy (i32.const 0))
              (loop $wy
                (local.set $dx (i32.const 0))
                (loop $wx
                  (if (i32.or (local.get $dy) (local.get $dx))
                    (then
                      (local.set $at (i32.add (i32.add (local.get $corner) (i32.mul (i32.add (i32.mul (local.get $dy) (local.get $w)) (local.get $dx)) (local.get $c))) (local.get $ch)))
                      (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $at) (i32.const 2)))))
                      (local.set $vm (v128.or (v128.or (f32x4.gt (local.get $v) (local.get $vmax)) (f32x4.ne (local.get $v) (local.get $v)))
                        (v128.and (f32x4.eq (local.get $v) (local.get $vmax)) (local.get $vlast))))
                      (local.set $vmax (v128.bitselect (local.get $v) (local.get $vmax) (local.get $vm)))
                      (local.set $varg (v128.bitselect (i32x4.add (i32x4.splat (local.get $at)) (v128.const i32x4 0 1 2 3)) (local.get $varg) (local.get $vm)))))
                  (br_if $wx (i32.lt_s (local.tee $dx (i32.add (local.get $dx) (i32.const 1))) (local.get $p))))
                (br_if $wy (i32.lt_s (local.tee $dy (i32.add (local.get $dy) (i32.const 1))) (local.get $p))))
              (v128.store (i32.add (local.get $y) (i32.shl (i32.add (local.get $out) (local.get $ch)) (i32.const 2))) (local.get $vmax))
              (v128.store (i32.add (local.get $arg) (i32.shl (i32.add (local.get $out) (local.get $ch)) (i32.const 2))) (local.get $varg))
              (local.set $ch (i32.add (local.get $ch) (i32.const 4)))
              (br $vchannels)))
          ;; the channels left over, one at a time, by the same rule
          (block $sdone
            (loop $schannels
              (br_if $sdone (i32.ge_s (local.get $ch) (local.get $c)))
              (local.set $smax (f32.load (i32.add (local.get $x) (i32.shl (i32.add (local.get $corner) (local.get $ch)) (i32.const 2)))))
              (local.set $sarg (i32.add (local.get $corner) (local.get $ch)))
              (local.set $dy (i32.const 0))
              (loop $sy
                (local.set $dx (i32.const 0))
                (loop $sx
                  (if (i32.or (local.get $dy) (local.get $dx))
                    (then
                      (local.set $at (i32.add (i32.add (local.get $corner) (i32.mul (i32.add (i32.mul (local.get $dy) (local.get $w)) (local.get $dx)) (local.get $c))) (local.get $ch)))
                      (local.set $sv (f32.load (i32.add (local.get $x) (i32.shl (local.get $at) (i32.const 2)))))
                      (if (i32.or (i32.or (f32.gt (local.get $sv) (local.get $smax)) (f32.ne (local.get $sv) (local.get $sv)))
                            (i32.and (f32.eq (local.get $sv) (local.get $smax)) (local.get $last)))
                        (then
                          (local.set $smax (local.get $sv))
                          (local.set $sarg (local.get $at))))))
                  (br_if $sx (i32.lt_s (local.tee $dx (i32.add (local.get $dx) (i32.const 1))) (local.get $p))))
                (br_if $sy (i32.lt_s (local.tee $dy (i32.add (local.get $dy) (i32.const 1))) (local.get $p))))
              (f32.store (i32.add (local.get $y) (i32.shl (i32.add (local.get $out) (local.get $ch)) (i32.const 2))) (local.get $smax))
              (i32.store (i32.add (local.get $arg) (i32.shl (i32.add (local.get $out) (local.get $ch)) (i32.const 2))) (local.get $sarg))
              (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
              (br $schannels)))
          (local.set $out (i32.add (local.get $out) (local.get $c)))
          (br_if $cols (i32.lt_s (local.tee $ox (i32.add (local.get $ox) (i32.const 1))) (local.get $outW))))
        (br_if $rows (i32.lt_s (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $outH))))
      (br_if $images (i32.lt_s (local.tee $img (i32.add (local.get $img) (i32.const 1))) (local.get $n)))))

  ;; Max pooling's adjoint: dx (`size` values) is 0 but for each output's gradient dy[i] added onto arg[i], in order.
  (func (export "maxpool_back") (param $dy i32) (param $arg i32) (param $dx i32) (param $count i32) (param $size i32)
    (local $i i32) (local $to i32)
    (memory.fill (local.get $dx) (i32.const 0) (i32.shl (local.get $size) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $i) (local.get $count)))
        (local.set $to (i32.add (local.get $dx) (i32.shl (i32.load (i32.add (local.get $arg) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (f32.store (local.get $to) (f32.add (f32.load (local.get $to)) (f32.load (i32.add (local.get $dy) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; out[(a·n + img)·per + j] = x[img·pixels + table[a·per + j]] (0 where the table says −1), for
  ;; a < blocks, img < n, j < per: im2col's patch matrix (one block), or its transpose (a block per patch entry).
  (func (export "gather") (param $x i32) (param $table i32) (param $out i32) (param $blocks i32) (param $n i32) (param $per i32) (param $pixels i32)
    (local $a i32) (local $img i32) (local $j i32) (local $i i32) (local $base i32) (local $row i32)
    (block $adone
      (loop $as
        (br_if $adone (i32.ge_s (local.get $a) (local.get $blocks)))
        (local.set $img (i32.const 0))
        (block $idone
          (loop $imgs
            (br_if $idone (i32.ge_s (local.get $img) (local.get $n)))
            (local.set $base (i32.add (local.get $x) (i32.shl (i32.mul (local.get $img) (local.get $pixels)) (i32.const 2))))
            (local.set $row (i32.add (local.get $table) (i32.shl (i32.mul (local.get $a) (local.get $per)) (i32.const 2))))
            (local.set $j (i32.const 0))
            (block $jdone
              (loop $js
                (br_if $jdone (i32.ge_s (local.get $j) (local.get $per)))
                (local.set $i (i32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))
                (if (i32.lt_s (local.get $i) (i32.const 0))
                  (then (f32.store (local.get $out) (f32.const 0)))
                  (else (f32.store (local.get $out) (f32.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))))
                (local.set $out (i32.add (local.get $out) (i32.const 4)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $js)))
            (local.set $img (i32.add (local.get $img) (i32.const 1)))
            (br $imgs)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $as))))

  ;; im2col's adjoint: dx (n images of `pixels` values) is 0 but for each patch entry's gradient
  ;; added onto its pixel; the gradient comes transposed, colsT[e·rows + row] with rows = n·perImage
  ;; patch rows of `size` entries; added image by image, row by row, entry by entry.
  (func (export "scatter") (param $colsT i32) (param $table i32) (param $dx i32) (param $n i32) (param $perImage i32) (param $size i32) (param $pixels i32)
    (local $img i32) (local $r i32) (local $e i32) (local $i i32) (local $base i32) (local $rows i32) (local $row i32) (local $to i32)
    (memory.fill (local.get $dx) (i32.const 0) (i32.shl (i32.mul (local.get $n) (local.get $pixels)) (i32.const 2)))
    (local.set $rows (i32.mul (local.get $n) (local.get $perImage)))
    (block $idone
      (loop $imgs
        (br_if $idone (i32.ge_s (local.get $img) (local.get $n)))
        (local.set $base (i32.add (local.get $dx) (i32.shl (i32.mul (local.get $img) (local.get $pixels)) (i32.const 2))))
        (local.set $r (i32.const 0))
        (block $rdone
          (loop $rs
            (br_if $rdone (i32.ge_s (local.get $r) (local.get $perImage)))
            (local.set $row (i32.add (i32.mul (local.get $img) (local.get $perImage)) (local.get $r)))
            (local.set $e (i32.const 0))
            (block $edone
              (loop $es
                (br_if $edone (i32.ge_s (local.get $e) (local.get $size)))
                (local.set $i (i32.load (i32.add (local.get $table) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $size)) (local.get $e)) (i32.const 2)))))
                (if (i32.ge_s (local.get $i) (i32.const 0))
                  (then
                    (local.set $to (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2))))
                    (f32.store (local.get $to) (f32.add (f32.load (local.get $to))
                      (f32.load (i32.add (local.get $colsT) (i32.shl (i32.add (i32.mul (local.get $e) (local.get $rows)) (local.get $row)) (i32.const 2))))))))
                (local.set $e (i32.add (local.get $e) (i32.const 1)))
                (br $es)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rs)))
        (local.set $img (i32.add (local.get $img) (i32.const 1)))
        (br $imgs))))

  ;; dz = dy, through relu's mask when `relu` (dy where y > 0, else 0; a NaN y gives 0), for rows × filters
  ;; values, and db = dz's column sums, added in float32 row by row (as tfjs-backend-wasm's tf.sum(dz, 0)).
  (func (export "mask_sum") (param $dy i32) (param $y i32) (param $dz i32) (param $db i32) (param $rows i32) (param $filters i32) (param $relu i32)
    (local $r i32) (local $c i32) (local $at i32) (local $v v128) (local $sv f32)
    (memory.fill (local.get $db) (i32.const 0) (i32.shl (local.get $filters) (i32.const 2)))
    (block $rdone
      (loop $rs
        (br_if $rdone (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $vdone
          (loop $vs
            (br_if $vdone (i32.gt_s (i32.add (local.get $c) (i32.const 4)) (local.get $filters)))
            (local.set $v (v128.load (i32.add (local.get $dy) (local.get $at))))
            (if (local.get $relu)
              (then (local.set $v (v128.and (local.get $v) (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $at))) (f32x4.splat (f32.const 0)))))))
            (v128.store (i32.add (local.get $dz) (local.get $at)) (local.get $v))
            (v128.store (i32.add (local.get $db) (i32.shl (local.get $c) (i32.const 2)))
              (f32x4.add (v128.load (i32.add (local.get $db) (i32.shl (local.get $c) (i32.const 2)))) (local.get $v)))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vs)))
        (block $sdone
          (loop $ss
            (br_if $sdone (i32.ge_s (local.get $c) (local.get $filters)))
            (local.set $sv (f32.load (i32.add (local.get $dy) (local.get $at))))
            (if (local.get $relu)
              (then (if (i32.eqz (f32.gt (f32.load (i32.add (local.get $y) (local.get $at))) (f32.const 0)))
                (then (local.set $sv (f32.const 0))))))
            (f32.store (i32.add (local.get $dz) (local.get $at)) (local.get $sv))
            (f32.store (i32.add (local.get $db) (i32.shl (local.get $c) (i32.const 2)))
              (f32.add (f32.load (i32.add (local.get $db) (i32.shl (local.get $c) (i32.const 2)))) (local.get $sv)))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $ss)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rs)))))
