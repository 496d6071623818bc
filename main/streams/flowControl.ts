// Watermark flow control for one stream session (a terminal, a log view), as VS Code does it:
// count the characters handed to the renderer against those it has acked, pause the source
// above the high watermark and resume it only once the renderer has nearly caught up
// (hysteresis, so the source is not toggled on every ack). The defaults are the terminals'.
import { FLOW_CONTROL } from '../../shared/terminal';

export interface Watermarks {
  high: number;
  low: number;
}

export type FlowSignal = 'pause' | 'resume' | undefined;

export class FlowControl {
  private sentChars = 0;
  private ackedChars = 0;
  private isPaused = false;
  private pauseCount = 0;
  private resumeCount = 0;

  constructor(
    private readonly high: number = FLOW_CONTROL.highWatermark,
    private readonly low: number = FLOW_CONTROL.lowWatermark,
  ) {}

  get paused(): boolean {
    return this.isPaused;
  }

  get stats(): { sentChars: number; ackedChars: number; unacked: number; pauses: number; resumes: number } {
    return { sentChars: this.sentChars, ackedChars: this.ackedChars, unacked: this.unacked, pauses: this.pauseCount, resumes: this.resumeCount };
  }

  get unacked(): number {
    return this.sentChars - this.ackedChars;
  }

  /** Records `chars` handed to the renderer; 'pause' when the source must stop reading. */
  sent(chars: number): FlowSignal {
    if (!(chars > 0)) return undefined;
    this.sentChars += chars;
    if (this.isPaused || this.unacked <= this.high) return undefined;
    this.isPaused = true;
    this.pauseCount++;
    return 'pause';
  }

  /** Records `chars` more written by the renderer; 'resume' when the source may read again. */
  ack(chars: number): FlowSignal {
    if (!(chars > 0) || !Number.isFinite(chars)) return undefined;
    // An ack beyond what was sent (a confused or hostile renderer) must not make later output look pre-acked.
    this.ackedChars = Math.min(this.sentChars, this.ackedChars + chars);
    if (!this.isPaused || this.unacked >= this.low) return undefined;
    this.isPaused = false;
    this.resumeCount++;
    return 'resume';
  }
}
