/**
 * Hex/ASCII dump lines (16 bytes each) with the selected byte range split out, so the pane can
 * render "before / highlighted / after" as plain text spans. Bytes are data: only printable
 * ASCII (0x20–0x7e) is shown as itself, everything else as '.'.
 */
export interface HexSegment {
  text: string;
  hl: boolean;
}

export interface HexLine {
  offset: string;
  hex: HexSegment[];
  ascii: HexSegment[];
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function asciiOf(b: number): string {
  return b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
}

function split(parts: string[], lo: number, hi: number, sep: string): HexSegment[] {
  const segs: HexSegment[] = [];
  let cur: HexSegment | undefined;
  for (let i = 0; i < parts.length; i++) {
    const hl = i >= lo && i < hi;
    const text = (i > 0 ? (i === 8 && sep ? sep + sep : sep) : '') + parts[i];
    if (cur && cur.hl === hl) cur.text += text;
    else {
      // The separator before the first highlighted byte stays unhighlighted.
      if (cur && hl && sep) {
        cur.text += text.slice(0, text.length - parts[i].length);
        cur = { text: parts[i], hl };
      } else cur = { text, hl };
      segs.push(cur);
    }
  }
  return segs;
}

/** Lines for `bytes`, highlighting [start, start+length). */
export function hexLines(bytes: Uint8Array, start = -1, length = 0): HexLine[] {
  const out: HexLine[] = [];
  for (let o = 0; o < bytes.length; o += 16) {
    const row = bytes.subarray(o, Math.min(bytes.length, o + 16));
    const hex: string[] = [];
    const asc: string[] = [];
    for (const b of row) {
      hex.push(HEX[b]);
      asc.push(asciiOf(b));
    }
    const lo = Math.max(0, start - o);
    const hi = Math.max(0, Math.min(16, start + length - o));
    out.push({ offset: o.toString(16).padStart(4, '0'), hex: split(hex, lo, hi, ' '), ascii: split(asc, lo, hi, '') });
  }
  return out;
}
