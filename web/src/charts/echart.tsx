import { useEffect, useRef } from 'react';
import { type EChartsOption, echarts } from './echarts-setup';

/**
 * An ECharts canvas exposed to assistive technology as one image with a text alternative (`label`); pages put the
 * same figures in a table next to it for anyone who cannot see the chart.
 */
export function EChart({ option, label, height = 320 }: { option: EChartsOption; label: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init>>(undefined);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div className="chart" ref={el} role="img" aria-label={label} style={{ height }} />;
}
