/** One line of a chart: y per x; null leaves a gap (no data in that slice). */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [x: number, y: number | null])[];
  readonly dashed?: boolean;
}

/** A shaded span of the x axis (a fault window). */
export interface Band {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly xMax: number;
  /** Fixed y range top (e.g. 1 for shares); default: the data's maximum, rounded up. */
  readonly yMax?: number;
  readonly series: readonly Series[];
  readonly bands: readonly Band[];
}

const W = 900;
const H = 200;
const PAD = { left: 56, right: 16, top: 24, bottom: 28 };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
}

/**
 * A self-contained SVG time chart (x in ms, labelled in seconds): one path
 * per series, fault windows shaded behind, a legend. No script, no fonts
 * fetched: it renders the same in a browser, an e-mail or a CI artifact.
 */
export function renderChart(spec: ChartSpec): string {
  const ys = spec.series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== null));
  const yMax = spec.yMax ?? niceMax(Math.max(0, ...ys) * 1.05);
  const xMax = Math.max(1, spec.xMax);
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const X = (x: number) => PAD.left + (Math.min(x, xMax) / xMax) * iw;
  const Y = (y: number) => PAD.top + ih - (Math.min(y, yMax) / yMax) * ih;
  const parts: string[] = [];

  parts.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${iw}" height="${ih}" fill="#fff" stroke="#ccc"/>`);
  for (const band of spec.bands) {
    const x = X(band.from);
    const w = Math.max(1, X(band.to) - x);
    parts.push(`<rect class="fault" x="${x.toFixed(1)}" y="${PAD.top}" width="${w.toFixed(1)}" height="${ih}" fill="#f4a261" fill-opacity="0.22"><title>${escapeXml(band.label)}</title></rect>`);
    parts.push(`<text x="${(x + 3).toFixed(1)}" y="${PAD.top + 11}" font-size="10" fill="#a0522d">${escapeXml(band.label)}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const y = Y(v);
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + iw}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(y + 4).toFixed(1)}" font-size="10" text-anchor="end" fill="#555">${fmt(v)}</text>`);
  }
  // A label every few seconds for a scenario, every few minutes for an hour's soak (never hundreds).
  const stepS = xMax > 1_800_000 ? 300 : xMax > 600_000 ? 120 : xMax > 180_000 ? 30 : xMax > 60_000 ? 10 : xMax > 20_000 ? 5 : xMax > 8000 ? 2 : 1;
  for (let s = 0; s * 1000 <= xMax; s += stepS) {
    const x = X(s * 1000);
    parts.push(`<text x="${x.toFixed(1)}" y="${H - 10}" font-size="10" text-anchor="middle" fill="#555">${s}s</text>`);
  }
  for (const series of spec.series) {
    let d = '';
    let pen = false;
    let count = 0;
    for (const [x, y] of series.points) {
      if (y === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${X(x).toFixed(1)},${Y(y).toFixed(1)}`;
      pen = true;
      count++;
    }
    parts.push(
      `<path class="series" data-series="${escapeXml(series.name)}" data-points="${count}" d="${d}" fill="none" stroke="${series.color}" stroke-width="1.6"${series.dashed ? ' stroke-dasharray="4 3"' : ''}/>`,
    );
  }
  spec.series.forEach((series, i) => {
    const x = PAD.left + 8 + i * 120;
    parts.push(`<rect x="${x}" y="6" width="10" height="10" fill="${series.color}"/><text x="${x + 14}" y="15" font-size="11">${escapeXml(series.name)}</text>`);
  });
  parts.push(`<text x="${W - PAD.right}" y="15" font-size="11" text-anchor="end" fill="#333">${escapeXml(spec.title)} (${escapeXml(spec.unit)})</text>`);
  return `<svg id="${escapeXml(spec.id)}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeXml(spec.title)}">${parts.join('')}</svg>`;
}
