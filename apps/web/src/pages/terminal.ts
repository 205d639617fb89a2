// Entry of the standalone terminal page (terminal.html), used by the terminal's e2e test and in
// development.
import { mount } from 'svelte';
import { setupI18n } from '../lib/i18n/i18n';
import '../app.css';
import '../lib/ui/base.css';
import TerminalPage from './TerminalPage.svelte';

setupI18n();
mount(TerminalPage, { target: document.getElementById('app')! });
