// The real E3Kit, bundled with the widget's rollup plugins, for browser tests that drive it directly.
export { EThree } from '@virgilsecurity/e3kit-browser';
