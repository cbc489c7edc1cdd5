/**
 * The zoom pyramid (levels of detail) of one series, built in the worker with the series so the
 * UI only draws: level k has one bucket per 2^k consecutive points holding their lowest and
 * highest value (bars: the lowest bottom and the highest top; NaN points are skipped, an empty
 * bucket is lo = +Infinity, hi = −Infinity). Level 1 comes from the points, each coarser one
 * from the one below (two buckets → one): 1.5 passes over the points in all. Levels go up to the
 * first with at most 512 buckets, so a redraw reads ~2 buckets per pixel column at any zoom.
 */
export interface Level {
  shift: number;
  lo: Float64Array;
  hi: Float64Array;
}

/** The coarsest level of a series of `n` points (at most 512 buckets, 1 at least). */
export function maxShift(n: number): number {
  let k = 1;
  while (n >> k > 512) k++;
  return k;
}

/** Levels 1 … maxShift(y.length) of `y` (and `y2`, the tops of bars). */
export function buildLevels(y: Float64Array, y2?: Float64Array): Level[] {
  const n = y.length;
  let m = (n + 1) >> 1;
  let lo = new Float64Array(m);
  let hi = new Float64Array(m);
  const tops = y2 ?? y;
  for (let b = 0, i = 0; b < m; b++, i += 2) {
    let a = Infinity;
    let z = -Infinity;
    for (let j = i; j < i + 2 && j < n; j++) {
      const v = y[j];
      if (v === v) {
        if (v < a) a = v;
        const t = tops[j];
        if (t > z) z = t;
      }
    }
    lo[b] = a;
    hi[b] = z;
  }
  const levels: Level[] = [{ shift: 1, lo, hi }];
  const top = maxShift(n);
  for (let k = 2; k <= top; k++) {
    const pm = m;
    m = (pm + 1) >> 1;
    const nlo = new Float64Array(m);
    const nhi = new Float64Array(m);
    for (let b = 0, j = 0; b < m; b++, j += 2) {
      nlo[b] = j + 1 < pm && lo[j + 1] < lo[j] ? lo[j + 1] : lo[j];
      nhi[b] = j + 1 < pm && hi[j + 1] > hi[j] ? hi[j + 1] : hi[j];
    }
    lo = nlo;
    hi = nhi;
    levels.push({ shift: k, lo, hi });
  }
  return levels;
}
