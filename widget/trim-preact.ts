/**
 * Preact's core without the parts the widget never uses, cut from `preact/dist/preact.mjs` as the build reads it
 * (`vite.config.ts`): about 1.2 KB gzipped, a twelfth of the budget, which the widget's safety features (metadata
 * stripping, quick exit, telling a refused site from an unreachable hub) needed. What goes is dead code here because
 * the widget renders plain HTML elements into empty shadow roots, with class components that use only
 * `componentDidMount`, `componentDidUpdate` and `componentWillUnmount`, and no plugin sets Preact's `options`:
 * - SVG and MathML namespaces; `style` objects (the widget sets no inline style: a host CSP may forbid them);
 *   `dangerouslySetInnerHTML`; the special cases of `<progress>`, `<template>` and `popover`;
 * - the other lifecycles and context (`getDerivedStateFromProps`, `shouldComponentUpdate`, `componentWillMount`,
 *   `componentWillReceiveProps`, `componentWillUpdate`, `getSnapshotBeforeUpdate`, `getChildContext`, `contextType`),
 *   error boundaries (`componentDidCatch`, `getDerivedStateFromError`: an error is thrown, as with none), `forceUpdate`;
 * - hydration and suspended hydration, reading the attributes of existing DOM, `moveBefore`;
 * - the `options` hooks (devtools, hooks, debounced rendering: nothing here sets them).
 * Each cut must match the installed Preact exactly once or the build stops: after a Preact upgrade, check each one
 * against the new `dist/preact.mjs` (names like `n.__b` are Preact's own mangled ones). `test/unit/widget/trim-preact.test.ts`
 * holds the widget to not using what is cut.
 */

/** [what Preact says, what the widget needs of it] */
export const PREACT_CUTS: ReadonlyArray<readonly [string, string]> = [
  // SVG and MathML
  ['if("svg"==C?f="http://www.w3.org/2000/svg":"math"==C?f="http://www.w3.org/1998/Math/MathML":f||(f="http://www.w3.org/1999/xhtml"),o)', 'if(o)'],
  ['t=M.createElementNS(f,C,x.is?x:a)', 't=M.createElement(C)'],
  ['("foreignObject"==C||"http://www.w3.org/1998/Math/MathML"==f&&v.test(C))&&(f="http://www.w3.org/1999/xhtml"),', ''],
  ['if("http://www.w3.org/2000/svg"==i)t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(', 'if('],
  // style objects
  ['if("style"==t)if("string"==typeof r)n.style.cssText=r;else{if("string"==typeof u&&(n.style.cssText=u=""),u)for(t in u)r&&t in r||T(n.style,t);if(r)for(t in r)u&&r[t]==u[t]||T(n.style,t,r[t])}else if(', 'if('],
  // dangerouslySetInnerHTML
  ['"dangerouslySetInnerHTML"==s?y=k:', ''],
  ['"dangerouslySetInnerHTML"==s?h=k:', ''],
  ['h?(l||y&&(h.__html==y.__html||h.__html==t.innerHTML)||(t.innerHTML=h.__html),r.__k=[]):(y&&(t.textContent=""),', '('],
  // <progress>, <template>, popover
  ['"progress"==C&&null==b?t.removeAttribute(s):', ''],
  ['&&("progress"!=C||b)', ''],
  ['"template"==C&&t.content||', ''],
  ['n.setAttribute(t,"popover"==t&&1==r?"":r)', 'n.setAttribute(t,r)'],
  // lifecycles, context, error boundaries, forceUpdate
  ['C&&(d.__s||(d.__s=d.state),V.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=_({},d.__s)),_(d.__s,V.getDerivedStateFromProps(M,d.__s)))),', 'C&&(d.__s||(d.__s=d.state)),'],
  ['if(M!==k&&C&&!V.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(M,L),r.__v==u.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&!1===d.shouldComponentUpdate(M,d.__s,L))', 'if(r.__v==u.__v&&!(8&d.__g))'],
  ['d.componentWillUpdate&&d.componentWillUpdate(M,d.__s,L),', ''],
  ['else C&&!V.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),C&&d.componentDidMount', 'else C&&d.componentDidMount'],
  ['d.getChildContext&&(i=_({},i,d.getChildContext())),', ''],
  ['C&&u.__c&&d.getSnapshotBeforeUpdate&&(m=d.getSnapshotBeforeUpdate(k,b)),', ''],
  ['j=(s=V.contextType)&&i[s.__c],L=s?j?j.props.value:s.__:i,', 'L=i,'],
  ['j&&j.sub(d),', ''],
  ['for(var i,o,e;t=t.__;)if((i=t.__c)&&!(1&i.__g)){i.__g|=4;try{if((e=(o=i.constructor)&&o.getDerivedStateFromError)&&i.setState(o.getDerivedStateFromError(n)),i.componentDidCatch&&(i.componentDidCatch(n,u||{}),e=1),e&&8&i.__g)return void(i.__g|=2)}catch(t){n=t}}throw f=0,n', 'throw f=0,n'],
  ['x.prototype.forceUpdate=function(n){this.__v&&(this.__g|=4,n&&this.__h.push(n),L(this))},', ''],
  // hydration, suspended hydration, existing DOM, moveBefore
  ['128&u.__u&&(c=32&u.__u,s=u.__c.__z)&&(r.__u|=c,p=o=[],8==s.nodeType?l=B(s,o):o.push(s),l=o[0]||l),', ''],
  ['p&&p.some(g),', ''],
  ['if(e.length=v,r.__v=null,c||o)if(t&&t.then){if(r.__u|=128|c,o){for(~(T=o.indexOf(l||void 0))||(T=o.length);(N=o[T-1])&&8==N.nodeType;)T--;for(;T<o.length;T++)if(N=o[T])if(o[T]=null,O){if(N==P)break}else{if(8!=N.nodeType)break;N.data.startsWith("$s")&&(P=B(O=N))}}if(!O){for(;l&&8==l.nodeType&&l.nextSibling;)l=l.nextSibling;O=l}(s=B(O=r.__c.__z||(r.__c.__z=O)))?(r.__e=O,l=s):r.__e=l,l=l&&l.nextSibling}else o&&o.some(g);else r.__e=u.__e;r.__k||(r.__k=u.__k||[]),t&&t.then||D(r),', 'e.length=v,r.__v=null,r.__e=u.__e,r.__k||(r.__k=u.__k||[]),D(r),'],
  ['!u&&(i=t.__c)&&(i=i.__z)&&(f=B(i,o=[]))&&(i==t.__e&&o.some(g),g(f),g(i)),', ''],
  [',!l&&o)for($={},s=0;s<t.attributes.length;s++)$[(k=t.attributes[s]).name]=k.value;', ');'],
  ['(!u&&r.moveBefore&&o.parentNode?r.moveBefore(o,t):r.insertBefore(o,t||null))', 'r.insertBefore(o,t||null)'],
  // the options hooks
  ['return!o&&n.vnode&&n.vnode(e),e', 'return e'],
  ['n.vnode&&n.vnode(r),', ''],
  ['(s=n.__b)&&s(r);', ''],
  ['H=n.__r,', ''],
  ['H&&H(r),', ''],
  ['return(s=n.diffed)&&s(r),l', 'return l'],
  ['n.__c&&n.__c(r,t),', ''],
  ['n.unmount&&n.unmount(t),', ''],
  ['n.__&&n.__(t,r),', ''],
  ['l&&(n.__m&&n.__m(r,o),l=!1)', 'l=!1'],
  ['u(n.event?n.event(r):r)', 'u(r)'],
  ['&&i==n.debounceRendering||((i=n.debounceRendering)||queueMicrotask)(H)', '||queueMicrotask(H)'],
  ['(f=u.length)&&(i||queueMicrotask)(H)', '(f=u.length)&&queueMicrotask(H)'],
];

/** Preact's built module without the cuts; throws, naming the cut, if one does not match exactly once. */
export function trimPreact(code: string): string {
  for (const [cut, kept] of PREACT_CUTS) {
    if (code.split(cut).length !== 2) throw new Error(`widget/trim-preact.ts: this Preact does not contain, exactly once: ${cut}`);
    code = code.replace(cut, () => kept);
  }
  return code;
}
