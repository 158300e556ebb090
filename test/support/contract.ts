/** Contract checking of e2e responses against openapi/openapi.json: see contract-checker.ts and contract-recorder.ts. */
export * from './contract-checker';
export * from './contract-recorder';
