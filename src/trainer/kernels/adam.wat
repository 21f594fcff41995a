;; Adam's update in place, four values at a time with WebAssembly SIMD (f32x4), for KernelAdam in
;; ../optimizer.ts. Compiled by `npm run kernels` (wabt) into adam.wasm.ts; a unit test checks the
;; two agree. Arguments are byte offsets into the exported memory, 16-byte aligned, and n values:
;;   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − step·m / (√v + ε)
;; in float32 throughout. The n mod 4 values at the end take the same float32 operations one at a
;; time, so a value's result does not depend on where it sits.
(module
  (memory (export "memory") 1)
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $beta1 f32) (param $beta2 f32) (param $step f32) (param $epsilon f32)
    (local $at i32) (local $end i32) (local $gi v128) (local $mi v128) (local $vi v128)
    (local $b1 v128) (local $c1 v128) (local $b2 v128) (local $c2 v128) (local $s v128) (local $e v128)
    (local $sg f32) (local $sm f32) (local $sv f32)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $c1 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta1))))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $c2 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta2))))
    (local.set $s (f32x4.splat (local.get $step)))
    (local.set $e (f32x4.splat (local.get $epsilon)))
    ;; $at is a byte offset from the start of each array; $end the end of the whole groups of four.
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $quads
      (loop $quad
        (br_if $quads (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $gi (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $mi (f32x4.add
          (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $m) (local.get $at))))
          (f32x4.mul (local.get $c1) (local.get $gi))))
        (local.set $vi (f32x4.add
          (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $v) (local.get $at))))
          (f32x4.mul (local.get $c2) (f32x4.mul (local.get $gi) (local.get $gi)))))
        (v128.store (i32.add (local.get $m) (local.get $at)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $at)) (local.get $vi))
        (v128.store (i32.add (local.get $w) (local.get $at))
          (f32x4.sub
            (v128.load (i32.add (local.get $w) (local.get $at)))
            (f32x4.div
              (f32x4.mul (local.get $s) (local.get $mi))
              (f32x4.add (f32x4.sqrt (local.get $vi)) (local.get $e)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $quad)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $singles
      (loop $single
        (br_if $singles (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $sg (f32.load (i32.add (local.get $g) (local.get $at))))
        (local.set $sm (f32.add
          (f32.mul (local.get $beta1) (f32.load (i32.add (local.get $m) (local.get $at))))
          (f32.mul (f32.sub (f32.const 1) (local.get $beta1)) (local.get $sg))))
        (local.set $sv (f32.add
          (f32.mul (local.get $beta2) (f32.load (i32.add (local.get $v) (local.get $at))))
          (f32.mul (f32.sub (f32.const 1) (local.get $beta2)) (f32.mul (local.get $sg) (local.get $sg)))))
        (f32.store (i32.add (local.get $m) (local.get $at)) (local.get $sm))
        (f32.store (i32.add (local.get $v) (local.get $at)) (local.get $sv))
        (f32.store (i32.add (local.get $w) (local.get $at))
          (f32.sub
            (f32.load (i32.add (local.get $w) (local.get $at)))
            (f32.div
              (f32.mul (local.get $step) (local.get $sm))
              (f32.add (f32.sqrt (local.get $sv)) (local.get $epsilon)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $single)))))
