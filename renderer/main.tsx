// The renderer's entry: styles, the stores (made once from the bridge's Api), then the app.
//
// Stylesheets load base → shared widgets → features (each feature imports its own, through App), so at
// equal specificity a feature's rule wins over a widget's, and a widget's over the base.
import './styles/base.css';
import './components/controls.css';
import './components/grid.css';
import './components/dialog.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { bindStores, connectStores } from './boot';
import { getApi, onBridgeConnection } from './bridge';
import { deferredApi, deferredWatch } from './deferredApi';

const bridge = getApi();
const api = deferredApi(bridge);
bindStores(api, deferredWatch(bridge, onBridgeConnection));
connectStores(api);

const root = document.getElementById('root');
if (!root) throw new Error('fleetdeck: #root element missing');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
