// bom_fix.js: workaround for a componentize-js 0.23.0 fault. build.sh puts this file in
// front of parse_ipv4.js (unless NVX_JS_NO_BOM_FIX=1).
//
// The fault: the generated bindings lift every `string` argument with a shared
// `new TextDecoder()` (default options, so ignoreBOM = false). Per the WHATWG Encoding
// standard such a decoder removes ONE leading U+FEFF (the UTF-8 bytes EF BB BF), so the
// export sees "1.2.3.4" when the caller passed "\u{FEFF}1.2.3.4" and wrongly accepts
// it. A component-model string is plain text, not an encoded stream with a signature,
// so the BOM must be kept, i.e. the decoder must behave as if ignoreBOM were true.
//
// The fix: wrap TextDecoder.prototype.decode. For a UTF-8 decoder created without
// ignoreBOM, a one-shot (non-streaming) decode of bytes that begin with EF BB BF gets
// the U+FEFF that the original decode removed put back in front. Everything else
// (other encodings, ignoreBOM decoders, streaming calls, inputs without a leading BOM)
// goes to the original decode unchanged. The wrapper is installed only if this engine's
// default decoder really drops the BOM (checked once, below), so it can never add a
// second U+FEFF on an engine without the fault. The prototype is patched (not a single
// instance) because the bindings create their decoder themselves; this code runs at
// module load, i.e. before the engine snapshot, so the snapshot holds the patched
// prototype.
{
  const proto = globalThis.TextDecoder && globalThis.TextDecoder.prototype;
  const originalDecode = proto && proto.decode;
  const dropsBom = typeof originalDecode === 'function' &&
    new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])) === 'A';
  if (dropsBom) {
    const startsWithBom = (input) => {
      let bytes;
      if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
      else if (ArrayBuffer.isView(input)) {
        bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      } else return false;
      return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    };
    const decode = function decode(input, options) {
      const out = originalDecode.call(this, input, options);
      if (this.encoding === 'utf-8' && this.ignoreBOM !== true &&
          !(options && options.stream) && startsWithBom(input)) {
        return '\uFEFF' + out;
      }
      return out;
    };
    Object.defineProperty(proto, 'decode', {
      value: decode, writable: true, configurable: true, enumerable: false,
    });
  }
}
