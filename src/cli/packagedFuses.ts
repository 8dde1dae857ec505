import { FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

/**
 * The fuses a packaged Attention Workbench is shipped with (flipped in its Electron binary by `npm run fuses`):
 * the binary cannot be turned into a plain Node (RunAsNode, NODE_OPTIONS, --inspect), loads its code only from its
 * own integrity-checked app.asar, and gives file:// no extra privileges, since the page is served on app://.
 * strictlyRequireAllFuses makes an Electron upgrade that adds a fuse fail here until it is decided.
 */
export const PACKAGED_APP_FUSES: FuseV1Config = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // WebAssembly trap handlers make wasm's bounds checks cheap; tfjs' wasm backend is a fallback trainer here.
  [FuseV1Options.WasmTrapHandlers]: true,
};
