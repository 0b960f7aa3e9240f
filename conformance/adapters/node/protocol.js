'use strict';
// The entsig conformance adapter protocol (conformance/ADAPTERS.md) for the npm plist readers
// installed here by `npm ci` from package-lock.json. Each conformance/adapters/npm-*/adapter
// names its peer's readers and calls main():
//
//   adapter --capabilities    {"name", "version", "areas", "batch": true}
//   adapter <area>            one case on stdin: tagged JSON and exit 0, or exit 1 on a rejection
//   adapter --batch <area>    one JSON request per line in, one answer per line out
//
// A rejection is an exception the peer documents as its parse error: by default a plain Error
// (what these packages throw themselves), and RangeError "Maximum call stack size exceeded",
// which stands in for the depth limit they lack. Anything else the peer throws (TypeError,
// RangeError from a DataView read past the buffer, ...) is a crash: the peer's own bug.

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { toTagged, Unrepresentable } = require('./tagged.js');

// Loads a package from this folder's node_modules, CommonJS or ES module alike.
function importPeer(name) {
  return import(name);
}

function isStackOverflow(e) {
  return e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message);
}

function defaultIsRejection(e) {
  return (e instanceof Error && e.name === 'Error') || isStackOverflow(e);
}

function describe(e) {
  if (e instanceof Error) return e.name + ': ' + e.message;
  return 'thrown ' + typeof e + ': ' + String(e);
}

// {status, output, message} for one input, status being accept, reject or crash.
function readOne(peer, area, bytes) {
  let value;
  try {
    value = peer.areas[area](bytes);
  } catch (e) {
    const rejected = (peer.isRejection || defaultIsRejection)(e);
    return { status: rejected ? 'reject' : 'crash', output: '', message: describe(e) };
  }
  try {
    return { status: 'accept', output: toTagged(value, peer), message: '' };
  } catch (e) {
    if (e instanceof Unrepresentable) {
      return { status: 'accept', output: JSON.stringify({ unrepresentable: e.message }), message: '' };
    }
    throw e;  // a bug in this glue: let the process die, a crash the runner reports
  }
}

function readStdin() {
  return fs.readFileSync(0);
}

// "plist 5.0.0, Node 20.20.2" for the packages a peer names (paths under node_modules).
function versionText(packages) {
  const names = packages.map((name) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', name, 'package.json'), 'utf8'));
    return manifest.name + ' ' + manifest.version;
  });
  return names.concat('Node ' + process.versions.node).join(', ');
}

async function batch(peer, area) {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    const answer = readOne(peer, area, Buffer.from(request.input, 'base64'));
    process.stdout.write(JSON.stringify({ id: request.id, ...answer }) + '\n');
  }
}

function single(peer, area) {
  const answer = readOne(peer, area, readStdin());
  if (answer.status === 'accept') {
    process.stdout.write(answer.output + '\n');
    return 0;
  }
  process.stderr.write(answer.message + '\n');
  return answer.status === 'reject' ? 1 : 3;
}

// peer: {name, packages (for the version), load: async () => {area: (Buffer) => value},
//        isRejection?, uidValue?, integerValue?}
async function serve(peer) {
  const argv = process.argv.slice(2);
  // stdout carries the answers: whatever a peer logs goes to stderr, which the runner records.
  console.log = console.info = console.debug = console.error;
  const readers = await peer.load();
  const areas = Object.keys(readers).sort();
  if (argv.length === 1 && argv[0] === '--capabilities') {
    const version = versionText(peer.packages);
    process.stdout.write(JSON.stringify({ name: peer.name, version, areas, batch: true }) + '\n');
    return;
  }
  const area = argv.length === 2 && argv[0] === '--batch' ? argv[1] : argv.length === 1 ? argv[0] : null;
  if (!areas.includes(area)) {
    process.stderr.write('usage: adapter --capabilities | <area> | --batch <area> (areas: ' + areas.join(', ') + ')\n');
    process.exitCode = 2;
    return;
  }
  const ready = { ...peer, areas: readers };
  if (argv[0] === '--batch') await batch(ready, area);
  else process.exitCode = single(ready, area);
}

function main(peer) {
  serve(peer).catch((e) => {
    process.stderr.write('adapter error: ' + (e && e.stack ? e.stack : String(e)) + '\n');
    process.exit(4);
  });
}

module.exports = { main, importPeer, isStackOverflow, defaultIsRejection };
