/**
 * seqscope CLI: the engine in Node, with tshark's words and output bytes.
 *   seqscope -r FILE [-T fields|json] [-e FIELD]... [-E header=y|n] [-E separator=/t|/s|C]
 *            [-E occurrence=f|l|a] [-c N] [-2] [-n] [-q -z expert]
 * Exit 0 on success, 1 on a damaged file (after printing every readable frame) or unknown fields
 * (as tshark), 2 on usage errors and on a file that cannot be opened (missing, unreadable: as tshark).
 */
import { CaptureSession, formatDiagnoses } from '../engine/index';
import { Packet } from '../engine/decode/packet';
import { frameCtx, type FrameCtx } from '../engine/fields/project';
import { firstValue, getField, listFields, listFieldsText, needsSide, type FieldDef } from '../engine/fields/registry';
import { compileFilter, filterFields, matchesColumns, matchesCtx, type CompiledFilter } from '../engine/filter/index';
import { formatExpertSummary } from '../engine/fields/expert-summary';
import { tallyExperts } from '../engine/fields/expert-tally';
import { summaryLine } from '../engine/fields/summary';
import { parseStatSpec, runStats, StatSpecError } from '../engine/stats/index';
import { detailTree, treeSide } from '../engine/fields/detail';
import { treeText } from '../engine/fields/tree/text';
import { prepareApp } from '../engine/dissect/app';
import { NodeFileSource } from './node-source';
import { parseArgs, unknownFieldsMessage, USAGE, UsageError, type CliOptions } from './args';

/** package.json's version, set by scripts/build-cli.mjs. */
declare const __SEQSCOPE_VERSION__: string;

/**
 * Buffered standard output: text is encoded straight into a 256 KiB buffer that is handed to
 * stdout when full (a fresh buffer each time, so nothing queued is overwritten). Small,
 * frequent flushes keep the per-line strings young garbage, cheap to collect.
 */
class Out {
  private static readonly SIZE = 256 * 1024;
  private buf = Buffer.allocUnsafe(Out.SIZE);
  private pos = 0;
  write(s: string): void {
    // Worst case 3 bytes per UTF-16 unit.
    if (this.pos + s.length * 3 > Out.SIZE) {
      this.flush();
      if (s.length * 3 > Out.SIZE) {
        process.stdout.write(s);
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  flush(): void {
    if (this.pos === 0) return;
    process.stdout.write(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Out.SIZE);
    this.pos = 0;
  }
}

const CTRL_ESCAPES: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

async function run(argv: string[]): Promise<number> {
  if (argv.includes('--list-fields')) {
    process.stdout.write(listFieldsText() + '\n');
    return 0;
  }
  if (argv.includes('-v') || argv.includes('--version')) {
    process.stdout.write(`seqscope ${__SEQSCOPE_VERSION__} (TCP analysis as tshark 4.0.17 reports it)\n`);
    return 0;
  }
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  let o: CliOptions;
  const defs: FieldDef[] = [];
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`seqscope: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  // An unknown field: one line with the closest names, exit 1 (as tshark's "Some fields aren't valid").
  const unknown = o.fields.filter((f) => !getField(f));
  if (unknown.length) {
    process.stderr.write(`seqscope: ${unknownFieldsMessage(unknown, listFields().map((f) => f.name))}\n`);
    return 1;
  }
  for (const f of o.fields) defs.push(getField(f)!);
  // The display filter is checked before the file is opened, as tshark does: a filter that does
  // not compile prints the message and the filter with a caret under the fault, and exits 2.
  let filter: CompiledFilter | undefined;
  if (o.filter !== undefined) {
    const r = compileFilter(o.filter);
    if (!r.ok) {
      process.stderr.write(`seqscope: ${r.error.message}\n${caret(o.filter, r.error.start, r.error.end)}\n`);
      return 2;
    }
    filter = r.filter;
  }
  let src: NodeFileSource;
  try {
    src = await NodeFileSource.open(o.file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'The file does not exist.' : err.code === 'EACCES' ? 'Permission denied.' : err.message;
    process.stderr.write(`seqscope: The file "${o.file}" could not be opened: ${why}\n`);
    return 2;
  }
  const session = new CaptureSession(src);
  const limit = o.count;
  const res = await session.load({ maxFrames: limit });
  // Fields read from the tree's capture-wide pass (echo and DNS links, UDP streams, _ws.expert) need it first.
  if (needsSide([...o.fields, ...(filter ? filterFields(filter) : [])])) await treeSide(session);
  const out = new Out();
  const printFrames = !o.quiet && !o.diagnose;
  // Fields that repeat in a frame print every occurrence (or the last) unless occurrence=f.
  // tshark -T fields writes a value's tabs, CRs and LFs as \t, \r, \n (http.request.line "Host: x\r\n").
  // tshark writes backspace, tab, LF, FF and CR in a value as \b \t \n \f \r (other control characters as they are).
  const esc = (v: string): string => (/[\b\t\n\f\r]/.test(v) ? v.replace(/[\b\t\n\f\r]/g, (ch) => CTRL_ESCAPES[ch]) : v);
  const getters = defs.map((d) => {
    if (o.occurrence === 'f') return (c: FrameCtx) => esc(firstValue(d, c));
    return o.occurrence === 'l' ? (c: FrameCtx) => esc(d.all(c).pop() ?? '') : (c: FrameCtx) => esc(d.all(c).join(','));
  });
  const sep = o.separator;
  if (printFrames && o.output === 'fields' && o.header) out.write(o.fields.join(sep) + '\n');
  if (printFrames && o.output === 'json') out.write('[\n');
  let first = true;
  // -V / -O: the detail tree as text (the same tree the detail pane shows).
  const expandSet = o.expand ? new Set(o.expand) : undefined;
  const wantTree = printFrames && o.output === 'text' && (o.verbose || expandSet !== undefined);
  // The Info column's echo links and the tree's UDP streams need one capture-wide pass.
  // (and the DNS-over-UDP request/response links).
  // (and QUIC's connection state, which the Protocol column of its short headers needs too).
  const wantInfo = printFrames && (o.output === 'text' || o.fields.includes('_ws.col.Info') || o.fields.includes('_ws.col.Protocol'));
  const side = wantTree || wantInfo ? await treeSide(session) : undefined;
  const expand = (proto: string | undefined): boolean => o.verbose || (proto !== undefined && expandSet !== undefined && expandSet.has(proto));

  // Second pass: re-read the file and project every frame.
  const p = new Packet();
  session.decoder.replay = true;
  let n = 0;
  let prevDisplayed = 0;
  const total = session.frameCount;
  const sink = {
    onFrame(buf: Uint8Array, off: number, capLen: number, origLen: number, _s: number, _ns: number, linkType: number) {
      n++;
      if (n > total) return;
      // The column pass decides most frames without decoding them.
      const pre = filter ? matchesColumns(filter, session, n) : 1;
      if (pre === 0) return;
      session.decoder.decode(p, buf, off, capLen, origLen, linkType, n);
      const c = frameCtx(session, n, p, buf, off);
      if (pre === 2 && !matchesCtx(filter!, c)) return;
      // frame.time_delta_displayed counts from the previous frame -Y displayed.
      c.prevDisplayed = prevDisplayed;
      prevDisplayed = n;
      if (!printFrames) return;
      if (wantTree) {
        out.write(treeText(detailTree(c, side), { expand, bytes: buf.subarray(off, off + capLen) }) + '\n');
        return;
      }
      if (o.output === 'fields') {
        let line = '';
        for (let k = 0; k < getters.length; k++) {
          if (k) line += sep;
          line += getters[k](c);
        }
        out.write(line + '\n');
      } else if (o.output === 'json') {
        const layers: Record<string, string[]> = {};
        for (let k = 0; k < defs.length; k++) {
          const vs = defs[k].all(c);
          if (vs.length) layers[o.fields[k]] = vs;
        }
        // tshark names the index after the frame's UTC date.
        const day = new Date(session.frames.secOf(n - 1) * 1000).toISOString().slice(0, 10);
        const obj = { _index: `packets-${day}`, _type: 'doc', _score: null, _source: { layers } };
        out.write((first ? '' : ',\n') + JSON.stringify(obj, null, 2).replace(/^/gm, '  '));
        first = false;
      } else out.write(summaryLine(c) + '\n');
    },
  };
  // The application layer's first pass (tshark -2: a TLS session's version, a request's response
  // frame are known when any frame is printed): every TCP conversation fed once beforehand.
  if (printFrames) await prepareApp(session, total);
  if (printFrames) await session.reread(sink, () => n >= total);
  if (printFrames && o.output === 'json') out.write((first ? '' : '\n') + ']\n');
  if (o.stats.length) {
    // tshark prints the statistics in the reverse order of their -z options.
    const specs = o.stats.map(parseStatSpec);
    let texts: Map<unknown, string>;
    try {
      texts = await runStats(session, specs);
    } catch (e) {
      if (!(e instanceof StatSpecError)) throw e;
      out.flush();
      process.stderr.write(`seqscope: ${e.message}\n`);
      return 1;
    }
    for (const spec of [...specs].reverse()) {
      if (spec.kind !== 'expert') {
        out.write(texts.get(spec) ?? '');
        continue;
      }
      // Counted from the frame table (only frames with option items are read again).
      // tshark builds a protocol tree for -T fields/json only, which adds tree-only items.
      const tally = await tallyExperts(session, { twoPass: o.twoPass, tree: o.output !== 'text' });
      if (tally) out.write(formatExpertSummary(tally));
    }
  }
  if (o.diagnose === 'json') out.write(JSON.stringify(session.diagnoses()) + '\n');
  else if (o.diagnose) out.write(formatDiagnoses(session.diagnoses(), session.analyzer.streamCount));
  out.flush();
  await src.close();
  if (res.error) {
    // The engine's message already names the frame number and byte offset.
    process.stderr.write(`seqscope: ${o.file}: ${res.error.message}\n`);
    // tshark 4.0.17: a file it cannot read (not a capture, cut short, damaged) exits 2 after the
    // frames read before the fault; data under 8 bytes that is no capture reads as no frames, exit 0.
    return res.error.tooShort ? 0 : 2;
  }
  return 0;
}

/** tshark's picture of the fault: the filter indented, and `^~~` under the fault (control characters as spaces). */
function caret(text: string, start: number, end: number): string {
  const flat = text.replace(/[\t\n\r]/g, ' ');
  const from = Math.min(start, flat.length);
  const width = Math.max(1, Math.min(end, flat.length) - from);
  return `    ${flat}\n    ${' '.repeat(from)}^${'~'.repeat(width - 1)}`;
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`seqscope: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 3;
  },
);
