import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { onBeforeUnmount, onMounted, shallowRef, type Ref } from 'vue';

use([LineChart, BarChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/**
 * An ECharts instance bound to an element for the component's lifetime: created on mount, resized (throttled to one
 * frame) when the element changes size, disposed on unmount.
 */
export function useEchart(element: Ref<HTMLElement | null>) {
  const chart = shallowRef<ECharts | null>(null);
  let observer: ResizeObserver | null = null;
  let frame = 0;
  onMounted(() => {
    if (!element.value) return;
    chart.value = init(element.value, 'dark', { renderer: 'canvas' });
    observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => chart.value?.resize());
    });
    observer.observe(element.value);
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    cancelAnimationFrame(frame);
    chart.value?.dispose();
    chart.value = null;
  });
  return {
    chart,
    update(option: EChartsCoreOption, replace = false) {
      chart.value?.setOption(option, replace);
    },
  };
}
