import { mount } from 'svelte';
import App from './App.svelte';
import { showUncaughtErrors } from './lib/uncaught-errors';
import './app.css';

showUncaughtErrors();
mount(App, { target: document.getElementById('app')! });
