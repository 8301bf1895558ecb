// Build-time stand-in for axios' fetch adapter. axios tries its adapters in the order ['xhr', 'http', 'fetch'] and
// browsers always have XMLHttpRequest, so the fetch adapter is never chosen. `false` is axios' own value for
// "not supported by the environment".
export const getFetch = () => false;
export default false;
