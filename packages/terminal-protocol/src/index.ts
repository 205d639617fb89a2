// The browser terminal's wire protocol, shared by the API server and the web client. Binary
// WebSocket frames whose first byte names the message type (ttyd style); no dependencies, so
// the same file runs in Node and in the browser.
export * from './terminal-protocol';
