// The conversation list's lazy chunk: its state and its view element load together, on first need.
export * as state from './conversation-list-state.js';
export * as view from '../ui/conversation-list.js';
