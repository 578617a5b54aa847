// uPlot is loaded as a classic script (/console/vendor/uPlot.iife.min.js) and sets a global.
import type uPlotClass from 'uplot';

declare global {
  const uPlot: typeof uPlotClass;
}
