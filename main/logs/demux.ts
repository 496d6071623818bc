// Demultiplexes the Engine API's log stream of a container without a TTY: frames of an 8-byte
// header (stream type, 3 zero bytes, big-endian payload size) and the payload. Headers and
// payloads may be split across reads anywhere; a frame is passed on as its bytes arrive.
export type LogStreamName = 'stdout' | 'stderr';

const HEADER_BYTES = 8;

export class FrameDemuxer {
  private header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  /** Payload bytes still to come of the current frame. */
  private remaining = 0;
  private stream: LogStreamName = 'stdout';

  constructor(private readonly onPayload: (stream: LogStreamName, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        this.onPayload(this.stream, chunk.subarray(at, at + take));
        this.remaining -= take;
        at += take;
        continue;
      }
      const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - at);
      chunk.copy(this.header, this.headerFill, at, at + take);
      this.headerFill += take;
      at += take;
      if (this.headerFill < HEADER_BYTES) return;
      this.headerFill = 0;
      // 1 stdout, 2 stderr (0 would be stdin, which logs never carry).
      this.stream = this.header[0] === 2 ? 'stderr' : 'stdout';
      this.remaining = this.header.readUInt32BE(4);
    }
  }
}
