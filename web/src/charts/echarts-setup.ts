import { BarChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { GBA_GEOJSON } from '../map/gba-geojson';

/** The parts of ECharts the dashboard uses (tree-shaken), and the shipped Greater Bay Area map: no tiles, no network. */
echarts.use([
  BarChart,
  LineChart,
  PieChart,
  ScatterChart,
  AriaComponent,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

// biome-ignore lint/suspicious/noExplicitAny: registerMap's GeoJSON parameter type is not exported by echarts/core
echarts.registerMap('gba', GBA_GEOJSON as any);

export { echarts };
export type EChartsOption = echarts.EChartsCoreOption;
