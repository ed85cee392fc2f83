// Only the Chart.js parts a horizontal bar chart needs (tree-shaken), loaded on demand by CapacityChart.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
export { Chart };
