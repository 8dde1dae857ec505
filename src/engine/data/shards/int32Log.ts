/** Int32s appended one at a time, in 64k blocks: no copy of the whole array while it grows (labels, lengths). */
export class Int32Log {
  private readonly blocks: Int32Array[] = [];
  length = 0;

  push(value: number): void {
    const at = this.length % 65536;
    if (at === 0) this.blocks.push(new Int32Array(65536));
    this.blocks.at(-1)![at] = value;
    this.length++;
  }

  toArray(): Int32Array {
    const out = new Int32Array(this.length);
    this.blocks.forEach((block, i) => out.set(block.subarray(0, Math.min(65536, this.length - i * 65536)), i * 65536));
    return out;
  }
}
