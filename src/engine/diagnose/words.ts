/** Durations in the words a network engineer writes: "0.4 ms", "220 ms", "1.91 s", "12 min", "3 h", "3 h 5 min", "2 days". */
export function dur(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 0.001) return `${trim((s * 1e3).toFixed(2))} ms`;
  if (s < 1) return `${trim((s * 1e3).toPrecision(3))} ms`;
  if (s < 60) return `${trim(s.toFixed(2))} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s - h * 3600) / 60);
    return m === 0 || m === 60 ? `${m === 60 ? h + 1 : h} h` : `${h} h ${m} min`;
  }
  const d = Math.round(s / 86400);
  return `${d} day${d === 1 ? '' : 's'}`;
}

function trim(x: string): string {
  return x.includes('.') ? x.replace(/\.?0+$/, '') : x;
}
