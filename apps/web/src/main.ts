// Entry of the single-page app (index.html): languages first (every page reads them), global
// styles, then the shell with its router.
import { mount } from 'svelte';
import { setupI18n } from './lib/i18n/i18n';
import './app.css';
import './lib/ui/base.css';
import App from './App.svelte';

setupI18n();
mount(App, { target: document.getElementById('app')! });
