import type uPlotClass from 'uplot';
import type { FaultBand } from '../src/wire.js';

/**
 * Shades fault windows behind a chart's series, as the HTML reports do:
 * one translucent band from a fault's start to its end (or to now).
 */
export function bandPlugin(bands: () => readonly FaultBand[]): uPlotClass.Plugin {
  return {
    hooks: {
      drawClear: (u: uPlotClass) => {
        const { ctx, bbox } = u;
        ctx.save();
        for (const band of bands()) {
          const from = u.valToPos(band.from / 1000, 'x', true);
          const to = u.valToPos((band.to ?? Date.now()) / 1000, 'x', true);
          const left = Math.max(bbox.left, from);
          const right = Math.min(bbox.left + bbox.width, to);
          if (right <= left) continue;
          ctx.fillStyle = 'rgba(220, 60, 60, 0.13)';
          ctx.fillRect(left, bbox.top, right - left, bbox.height);
        }
        ctx.restore();
      },
    },
  };
}
