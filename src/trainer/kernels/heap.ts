// A tensor's values to read at once, without a copy where the backend allows it.
import * as tf from '@tensorflow/tfjs-core';

/**
 * On wasm a view of the backend's heap (dataSync would allocate a copy each time, for the garbage
 * collector: 340 KB a step on W2), elsewhere dataSync. The view is valid only until the next
 * tensor is made (the heap may grow and move): read it before making any.
 */
export function heapValues(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as Partial<{ typedArrayFromHeap(t: tf.TensorInfo): Float32Array }>;
  return backend.typedArrayFromHeap ? backend.typedArrayFromHeap(t) : (t.dataSync() as Float32Array);
}
