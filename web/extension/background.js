// Nothing to do in the background: the popup does the work. The service
// worker exists so the extension has an id that tools can find.
self.addEventListener('install', () => self.skipWaiting());
