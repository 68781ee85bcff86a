// The latency pool's thread entry. Node 20 does not carry ESM loader hooks
// (tsx's --import) into worker threads, so the thread loads the TypeScript
// task through tsx's CommonJS require hook instead.
require('tsx/cjs')
module.exports = require('./task.ts').default
