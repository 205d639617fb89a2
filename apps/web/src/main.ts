// Entry of the single-page app (index.html): global styles, then the shell with its router.
import { mount } from 'svelte';
import './app.css';
import './lib/ui/base.css';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
