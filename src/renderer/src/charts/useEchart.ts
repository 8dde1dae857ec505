import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue';
import { i18n } from '../i18n';
import { activeTheme } from '../theme/appearance';
import { useThemeColours } from '../theme/useThemeColours';

use([LineChart, BarChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/**
 * An ECharts instance bound to an element for the component's lifetime: created on mount, resized (throttled to one
 * frame) when the element changes size, created again when the theme or the language switches (components redraw
 * when `chart` changes, in the new colours and words), disposed on unmount.
 */
export function useEchart(element: Ref<HTMLElement | null>) {
  const chart = shallowRef<ECharts | null>(null);
  const colours = useThemeColours();
  let observer: ResizeObserver | null = null;
  let frame = 0;
  const create = () => {
    if (!element.value) return;
    chart.value?.dispose();
    chart.value = init(element.value, activeTheme.value === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
  };
  onMounted(() => {
    if (!element.value) return;
    create();
    observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => chart.value?.resize());
    });
    observer.observe(element.value);
  });
  watch([activeTheme, () => i18n.global.locale.value], create);
  onBeforeUnmount(() => {
    observer?.disconnect();
    cancelAnimationFrame(frame);
    chart.value?.dispose();
    chart.value = null;
  });
  return {
    chart,
    colours,
    update(option: EChartsCoreOption, replace = false) {
      chart.value?.setOption(option, replace);
    },
  };
}
