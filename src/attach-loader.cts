// Loaded with the inspector's `require` into a process being attached: a CommonJS
// module can import() ESM, which code evaluated by the inspector cannot.
module.exports = (url: string): Promise<unknown> => import(url);
