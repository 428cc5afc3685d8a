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
 * - the `options` hooks (devtools, hooks, debounced rendering: nothing here sets them);
 * - since issue 22: portals, comment nodes, rendering into a document or into a container that has children already,
 *   uncontrolled inputs (`defaultValue`, `defaultChecked`), attributes Preact sets as attributes that the widget never
 *   sets (`width`, `height`, `list`, `form`, `download`, `rowSpan`, `colSpan`), capturing listeners, setState during
 *   render and setState's callback, String objects as children, and the catches that only threw the error again
 *   (an error in a component is thrown as it is). The widget renders only into new, empty shadow roots.
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
  // portals (createPortal's `__P` prop)
  ['return"function"!=typeof n.type||n.props.__P?null:S(n)', 'return"function"!=typeof n.type?null:S(n)'],
  ['if((n=n.__)&&n.__c&&!n.props.__P)return', 'if((n=n.__)&&n.__c)return'],
  ['if("function"==typeof n.type){if(n.props.__P)return t;if(i=n.__k)', 'if("function"==typeof n.type){if(i=n.__k)'],
  ['M.__P&&(s=l,f=(t=M.__P).namespaceURI,c=o=null,u.props&&u.props.__P!=t&&(u.__k.some(function(n){n&&J(n,n)}),u.__k=null),l=u.__k?S(u,0):null),', ''],
  ['M.__P&&(r.__e=null,l=s),', ''],
  ['"function"!=typeof t.type||u&&!t.props.__P', '"function"!=typeof t.type||u'],
  // comment nodes (only hydration and suspense make them), rendering into a document
  ['e=t;e&&8==e.nodeType;)e=e.nextSibling;for(o!=e&&r.insertBefore(o,t||null),t=o;(t=t&&t.nextSibling)&&8==t.nodeType&&!t.data.startsWith("$s"););return t', 'e=t;;)return o!=e&&r.insertBefore(o,t||null),o&&o.nextSibling'],
  ['9==r.nodeType&&(r=r.documentElement),', ''],
  // uncontrolled inputs (defaultValue, defaultChecked)
  ['o="textarea"==C&&null!=x.defaultValue?null:o&&d.call(a.childNodes)', 'o=o&&d.call(a.childNodes)'],
  ['"value"==s&&"defaultValue"in x||"checked"==s&&"defaultChecked"in x||', ''],
  // attributes the widget never sets, which Preact would set as attributes rather than properties
  ['"width"!=t&&"height"!=t&&"href"!=t&&"list"!=t&&"form"!=t&&"tabIndex"!=t&&"download"!=t&&"rowSpan"!=t&&"colSpan"!=t&&"role"!=t&&"popover"!=t&&t in n', '"href"!=t&&"tabIndex"!=t&&"role"!=t&&t in n'],
  // catching errors only to throw them again (no error boundaries here): an error thrown as it is
  ['v=e.length;try{if(M=r.props', 'if(M=r.props'],
  ['}catch(t){e.length=v,r.__v=null,r.__e=u.__e,r.__k||(r.__k=u.__k||[]),D(r),n.__e(t,r,u)}}else l=r.__e=F(', '}else l=r.__e=F('],
  ['function(r){try{t=r.__h,r.__h=[],t.some(function(n){n.call(r)})}catch(t){n.__e(t,r.__v)}}', 'function(r){t=r.__h,r.__h=[],t.some(function(n){n.call(r)})}'],
  ['function G(t,r,u,i){try{"function"', 'function G(t,r,u,i){"function"'],
  ['t.current=r}catch(t){n.__e(t,u)}}', 't.current=r}'],
  ['if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(t){n.__e(t,r)}', 'i.componentWillUnmount&&i.componentWillUnmount();'],
  // capturing event listeners (onClickCapture)
  ['f=t!=(t=t.replace(l,"$1")),', ''],
  ['r?n.addEventListener(t,o,f):n.removeEventListener(t,o,f)', 'r?n.addEventListener(t,o):n.removeEventListener(t,o)'],
  ['l=/(PointerCapture)$|Capture$/i,', ''],
  // rendering into a container that has children already (the widget renders only into new, empty shadow roots)
  ['i?null:r.firstChild?d.call(r.childNodes):null', 'null'],
  ['if(o)for(s=0;s<o.length;s++)if((k=o[s])&&(C?k.localName==C:3==k.nodeType)){t=k,o[s]=null;break}', ''],
  ['o=o&&d.call(a.childNodes)', 'o=null'],
  ['l&&"function"!=typeof k||', ''],
  ['l&&"textarea"!=C||(', '('],
  ['$===x||l&&t.data==x||(t.data=x)', '$===x||(t.data=x)'],
  ['I(a,w(_)?_:[_],r,u,i,f,o,e,o?o[0]:u.__k&&S(u,0),l,c),o&&o.some(g)', 'I(a,w(_)?_:[_],r,u,i,f,o,e,u.__k&&S(u,0),l,c)'],
  ['32&u.__u?[i]:null,f,i||S(u),32&u.__u,o)', 'null,f,i||S(u),0,o)'],
  ['i=(u=t&&32&t.__u)?null:r.__k', 'i=r.__k'],
  // setState while rendering (the widget changes state only in handlers and lifecycles)
  ['q=C?25:0;do{d.__g&=-9,H&&H(r),s=d.render(d.props,d.state=d.__s,d.context)}while(8&d.__g&&++q<25);', 'd.__g&=-9,H&&H(r),s=d.render(d.props,d.state=d.__s,d.context);'],
  // setState's callback (the widget never passes one)
  ['d.__h=[],d.__k=[])', 'd.__h=[])'],
  ['y.push.apply(d.__h,d.__k),d.__k=[],d.__h.length', 'd.__h.length'],
  ['C&&(y.push.apply(d.__h,d.__k),d.__k=[]),', ''],
  ['t&&this.__k.push(t),', ''],
  // String objects as children
  ['"object"!=typeof o||o.constructor===String?', '"object"!=typeof o?'],
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
