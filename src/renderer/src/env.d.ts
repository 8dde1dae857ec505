/// <reference types="vite/client" />
import type { WorkbenchBridge } from '../../shared/channels';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    /** Present in Electron (the preload's bridge); absent in a browser, where the WebSocket bridge stands in. */
    workbench?: WorkbenchBridge;
  }
}
