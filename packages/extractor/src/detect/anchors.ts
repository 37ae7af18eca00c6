/**
 * SSD anchor centres of the BlazeFace short-range detector (256x256 input variant shipped by Human):
 * a 16x16 grid with 2 anchors per cell (stride 16) followed by an 8x8 grid with 6 anchors (stride 32),
 * 896 anchors in the order of the model's concatenated outputs. Centres are in input pixels.
 */
export function blazeFaceAnchors(inputSize: number): Float32Array {
  const layers = [
    { stride: inputSize / 16, perCell: 2 },
    { stride: inputSize / 8, perCell: 6 },
  ];
  let count = 0;
  for (const { stride, perCell } of layers) count += Math.ceil(inputSize / stride) ** 2 * perCell;
  const anchors = new Float32Array(count * 2);
  let k = 0;
  for (const { stride, perCell } of layers) {
    const cells = Math.ceil(inputSize / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let n = 0; n < perCell; n++) {
          anchors[k++] = stride * (x + 0.5);
          anchors[k++] = stride * (y + 0.5);
        }
      }
    }
  }
  return anchors;
}
