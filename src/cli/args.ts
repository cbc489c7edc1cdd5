/** tshark-compatible argument parsing for the subset seqscope supports. */
import { parseStatSpec, StatSpecError } from '../engine/stats/spec';

export interface CliOptions {
  file: string;
  output: 'fields' | 'json' | 'text';
  fields: string[];
  header: boolean;
  separator: string;
  occurrence: 'f' | 'l' | 'a';
  count: number | undefined;
  quiet: boolean;
  stats: string[];
  /** -Y: display filter (the frames printed and the -z statistics honour it). */
  filter: string | undefined;
  /** -2 given: matters only for -z expert, which otherwise lists what a single pass reports (as tshark). Fields always show the two-pass values. */
  twoPass: boolean;
  /** --diagnose (readable report) or --diagnose=json (the JSON array): connection diagnoses instead of frames. */
  diagnose: 'text' | 'json' | undefined;
  /** -V: print every frame's detail tree, every protocol expanded. */
  verbose: boolean;
  /** -O: print the detail tree with only these protocols expanded (tshark filter names). */
  expand: string[] | undefined;
}

export class UsageError extends Error {}

export const USAGE = `Usage: seqscope -r FILE [options]
  -r FILE               read packets from FILE (pcap, pcapng, optionally gzip-compressed)
  -T fields|json|text   output format: -e fields, JSON, or one summary line per frame (text, the default)
  -e FIELD              field to print (repeatable); see --list-fields
  -E header=y|n         print a header line with the field names
  -E separator=/t|/s|C  field separator: tab, space or the character C
  -E occurrence=f|l|a   first, last or all occurrences of a field
  -Y FILTER             display filter (Wireshark 4.0 syntax): print only matching frames
  -c N                  stop after N frames
  -2                    two-pass analysis (fields always match tshark -2; -z expert follows this flag)
  -n                    no name resolution (always on)
  -V                    print each frame's packet-detail tree, every protocol expanded
  -O PROTOCOLS          print the detail tree with only these (comma-separated) protocols expanded
  -q                    quiet: with -z, print only the statistics
  -z expert             print the expert-info summary
  -z conv,TYPE          conversations; TYPE: eth, ip, ipv6, tcp, udp
  -z endpoints,TYPE     endpoints; TYPE as for conv
  -z follow,tcp,MODE,N  the payload of TCP stream N (or ADDR:PORT,ADDR:PORT); MODE: ascii, hex, raw
                        (several -z print as tshark does: the last given first)
  -z io,stat,INTERVAL[,COLUMN...]
                        frames and bytes per interval (seconds, 0 = whole capture); a COLUMN is a
                        display filter or COUNT|SUM|MIN|MAX|AVG(field)[filter]
  --list-fields         list the fields seqscope knows (tshark -G fields style)
  --diagnose[=json]     say what went wrong with each TCP connection (report, or a JSON array)
  -v, --version         print the version
  -h, --help            print this help`;

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = {
    file: '',
    output: 'text',
    fields: [],
    header: false,
    separator: '\t',
    occurrence: 'a',
    count: undefined,
    quiet: false,
    stats: [],
    twoPass: false,
    filter: undefined,
    diagnose: undefined,
    verbose: false,
    expand: undefined,
  };
  const need = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined) throw new UsageError(`option ${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    // Accept "-rFILE" / "-efield" glued forms as getopt does.
    let glued: string | undefined;
    if (/^-[rTeEczYO]./.test(a)) {
      glued = a.slice(2);
      a = a.slice(0, 2);
    }
    const val = (flag: string) => glued ?? need(++i, flag);
    switch (a) {
      case '-r':
        o.file = val('-r');
        break;
      case '-T': {
        const v = val('-T');
        if (v !== 'fields' && v !== 'json' && v !== 'text')
          throw new UsageError(`invalid -T value "${v}": seqscope supports fields, json and text`);
        o.output = v;
        break;
      }
      case '-e':
        o.fields.push(val('-e'));
        break;
      case '-E': {
        const v = val('-E');
        const m = /^(header|separator|occurrence|quote|aggregator|bom|escape)=(.*)$/.exec(v);
        if (!m) throw new UsageError(`invalid -E option "${v}"`);
        if (m[1] === 'header') o.header = m[2] === 'y';
        else if (m[1] === 'separator') o.separator = m[2] === '/t' ? '\t' : m[2] === '/s' ? ' ' : m[2].slice(0, 1);
        else if (m[1] === 'occurrence') {
          if (m[2] !== 'f' && m[2] !== 'l' && m[2] !== 'a') throw new UsageError(`invalid occurrence "${m[2]}" (f, l or a)`);
          o.occurrence = m[2];
        }
        break;
      }
      case '-c': {
        const v = Number(val('-c'));
        if (!Number.isInteger(v) || v < 1) throw new UsageError('-c takes a positive whole number');
        o.count = v;
        break;
      }
      case '-Y':
        o.filter = val('-Y');
        break;
      case '-z':
        o.stats.push(val('-z'));
        break;
      case '-2':
        o.twoPass = true;
        break;
      case '-n':
        break;
      case '-V':
        o.verbose = true;
        break;
      case '-O':
        o.expand = val('-O').split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
        break;
      case '-q':
        o.quiet = true;
        break;
      case '--diagnose':
      case '--diagnose=text':
        o.diagnose = 'text';
        break;
      case '--diagnose=json':
        o.diagnose = 'json';
        break;
      default:
        throw new UsageError(`unknown option "${argv[i]}"`);
    }
  }
  if (!o.file) throw new UsageError('no capture file given (-r FILE)');
  for (const z of o.stats) {
    try {
      parseStatSpec(z);
    } catch (e) {
      if (e instanceof StatSpecError) throw new UsageError(e.message);
      throw e;
    }
  }
  if ((o.output === 'fields' || o.output === 'json') && o.fields.length === 0 && !o.quiet && !o.diagnose)
    throw new UsageError('-T fields needs at least one -e FIELD');
  return o;
}

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The known names closest to `name` (at most `max`): small edit distance, or names that contain it. */
export function closestNames(name: string, known: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  return known
    .map((k) => ({ k, d: k.includes(name) ? Math.abs(k.length - name.length) / 100 : distance(name, k) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, max)
    .map((x) => x.k);
}

/** One line for fields seqscope does not know (tshark: "Some fields aren't valid"), with the closest names. */
export function unknownFieldsMessage(unknown: string[], known: readonly string[]): string {
  const each = unknown.map((f) => {
    const near = closestNames(f, known);
    return near.length ? `"${f}" (did you mean ${near.join(', ')}?)` : `"${f}"`;
  });
  return `unknown field${unknown.length > 1 ? 's' : ''} ${each.join(', ')}; seqscope --list-fields lists them all`;
}
