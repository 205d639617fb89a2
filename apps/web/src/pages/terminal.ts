import { mount } from 'svelte';
import '../app.css';
import TerminalPage from './TerminalPage.svelte';

mount(TerminalPage, { target: document.getElementById('app')! });
