import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import '@vue-flow/core/dist/style.css';
import '@vue-flow/core/dist/theme-default.css';
import '@vue-flow/controls/dist/style.css';
import '@vue-flow/minimap/dist/style.css';
import './main.css';

createApp(App).use(createPinia()).mount('#app');
