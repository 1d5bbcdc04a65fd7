// s3rver.js: start @20minutes/s3rver (it checks SigV4 signatures) on 127.0.0.1 for the
// S3 tests. Usage: node s3rver.js PORT DIRECTORY BUCKET...; prints "ready PORT" once
// it listens. Key and secret are s3rver's own: S3RVER / S3RVER.
'use strict';
const S3rver = require('@20minutes/s3rver');

const [port, directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  vhostBuckets: false,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});
server.run((err, { port: p } = {}) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log('ready ' + p);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
