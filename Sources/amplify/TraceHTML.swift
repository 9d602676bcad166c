import Foundation

/// A trace as one self-contained HTML page: nothing is loaded from the network. The trace's JSON is embedded;
/// the page shows a collapsible tree, built as nodes are opened (so a trace of 100,000 nodes opens at once and
/// a node with many children shows them 200 at a time), a search over questions, answers and errors, and a
/// node's details (times, cost, retries, errors, and the model calls recorded on it) beside the tree. A link can
/// open it at a search (`page.html#search=TEXT`) or at a node (`page.html#node=ID`).
enum TraceHTML {
    static func page(traceJSON: Data, title: String) -> String {
        // Inside a <script> element, "</script>" or "<!--" in a string would end or change it: JSON may write
        // "<" as \u003c in any string, and it only occurs in strings.
        let embedded = String(decoding: traceJSON, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: #1d1d1f; }
            header { position: sticky; top: 0; background: #f5f5f7; border-bottom: 1px solid #d2d2d7; padding: 8px 12px;
              display: flex; gap: 12px; align-items: center; z-index: 1; }
            header h1 { font-size: 15px; margin: 0; font-weight: 600; }
            #search { flex: 1; max-width: 420px; padding: 4px 8px; font: inherit; }
            #status { color: #6e6e73; }
            main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
            #tree { padding: 8px 12px; overflow: auto; }
            #details { border-left: 1px solid #d2d2d7; padding: 8px 12px; position: sticky; top: 45px;
              height: calc(100vh - 62px); overflow: auto; }
            ul { list-style: none; margin: 0; padding-left: 18px; }
            #tree > ul { padding-left: 0; }
            .line { white-space: nowrap; cursor: default; }
            .line.selected { background: #e8f0fe; }
            .toggle { display: inline-block; width: 14px; cursor: pointer; color: #6e6e73; }
            .label { cursor: pointer; }
            .answer { color: #0b6e4f; }
            .meta { color: #6e6e73; font-size: 12px; margin-left: 6px; }
            .failed .label { color: #b3261e; }
            .more { margin: 2px 0 2px 14px; font: inherit; font-size: 12px; }
            #results { padding: 0 12px; }
            #results li { cursor: pointer; padding: 1px 0; }
            #results li:hover { text-decoration: underline; }
            dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
            dt { color: #6e6e73; }
            dd { margin: 0; overflow-wrap: anywhere; }
            pre { white-space: pre-wrap; background: #f5f5f7; padding: 6px 8px; margin: 4px 0; }
            </style>
            </head>
            <body>
            <header><h1>\(escape(title))</h1><input id="search" type="search" placeholder="Search questions, answers, errors">
            <span id="status"></span></header>
            <ul id="results"></ul>
            <main><div id="tree"></div><aside id="details"><p>Select a node to see its details.</p></aside></main>
            <script type="application/json" id="trace-data">\(embedded)</script>
            <script>
            \(script)
            </script>
            </body>
            </html>

            """
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static let script = #"""
        "use strict";
        const nodes = JSON.parse(document.getElementById("trace-data").textContent).nodes;
        const elements = new Map();
        const pageSize = 200;
        const text = v => v === undefined || v === null ? "" : (typeof v === "string" ? v : JSON.stringify(v));
        const seconds = s => s < 1 ? (s * 1000).toFixed(1) + " ms" : s.toFixed(2) + " s";
        let selected = null;

        function element(tag, className, content) {
          const e = document.createElement(tag);
          if (className) e.className = className;
          if (content !== undefined) e.textContent = content;
          return e;
        }

        function row(node) {
          const li = element("li", "node");
          li.dataset.id = node.id;
          const line = element("div", "line" + (node.error ? " failed" : ""));
          const toggle = element("span", "toggle", node.children.length ? "▸" : "");
          const label = element("span", "label", text(node.question));
          if (node.answer !== undefined) label.append(" → ", element("span", "answer", text(node.answer)));
          const meta = [node.role, seconds(node.endSeconds - node.startSeconds)];
          if (node.cost > 0) meta.push("cost " + node.cost);
          if (node.cache !== "miss") meta.push(node.cache);
          if (node.children.length) meta.push(node.children.length + (node.children.length === 1 ? " child" : " children"));
          line.append(toggle, label, element("span", "meta", meta.join(" · ")));
          toggle.onclick = () => setOpen(node, li.querySelector(":scope > ul") === null || li.querySelector(":scope > ul").hidden);
          label.onclick = () => select(node);
          li.append(line);
          elements.set(node.id, li);
          return li;
        }

        function appendChildren(ul, node, from) {
          ul.querySelector(":scope > .more")?.remove();
          const to = Math.min(node.children.length, from + pageSize);
          for (let i = from; i < to; i++) ul.append(row(nodes[node.children[i]]));
          if (to < node.children.length) {
            const more = element("button", "more", "show " + Math.min(pageSize, node.children.length - to) + " more of "
              + (node.children.length - to));
            more.onclick = () => appendChildren(ul, node, to);
            ul.append(more);
          }
        }

        function setOpen(node, open) {
          const li = elements.get(node.id);
          if (!li || !node.children.length) return;
          let ul = li.querySelector(":scope > ul");
          if (open && !ul) {
            ul = element("ul");
            appendChildren(ul, node, 0);
            li.append(ul);
          }
          if (ul) ul.hidden = !open;
          li.querySelector(":scope > .line > .toggle").textContent = open ? "▾" : "▸";
        }

        function select(node) {
          selected?.classList.remove("selected");
          selected = elements.get(node.id)?.querySelector(":scope > .line") ?? null;
          selected?.classList.add("selected");
          const details = document.getElementById("details");
          details.replaceChildren();
          details.append(element("h2", null, "Node " + node.id));
          const list = element("dl");
          const add = (name, value) => { if (value !== undefined && value !== "") list.append(element("dt", null, name), element("dd", null, value)); };
          add("question", text(node.question));
          add("answer", node.answer === undefined ? "(none)" : text(node.answer));
          add("role", node.role);
          add("depth", String(node.depth));
          add("remaining depth", node.remainingDepth === null ? "unlimited" : String(node.remainingDepth));
          add("started", seconds(node.startSeconds));
          add("took", seconds(node.endSeconds - node.startSeconds));
          add("cost", String(node.cost));
          add("cache", node.cache);
          add("retries", String(node.retries));
          add("verified", String(node.verified));
          if (node.unaided) add("unaided", "answered without help");
          add("error", node.error);
          if (node.parent !== undefined) add("parent", "node " + node.parent);
          details.append(list);
          (node.modelCalls || []).forEach((call, index) => {
            details.append(element("h3", null, "Model call " + (index + 1)));
            (call.messages || []).forEach(message => details.append(element("div", "meta", message.role), element("pre", null, message.content)));
            details.append(element("div", "meta", "output"), element("pre", null, call.output));
          });
        }

        function reveal(node) {
          const path = [];
          for (let n = node; n.parent !== undefined; n = nodes[n.parent]) path.unshift(n.parent);
          for (const id of path) {
            const parent = nodes[id];
            setOpen(parent, true);
            // A child beyond the pages shown: show pages until it is there.
            const ul = elements.get(id).querySelector(":scope > ul");
            const position = parent.children.indexOf(path[path.indexOf(id) + 1] ?? node.id);
            while (ul.querySelectorAll(":scope > li").length <= position) appendChildren(ul, parent, ul.querySelectorAll(":scope > li").length);
          }
          select(node);
          elements.get(node.id).scrollIntoView({ block: "center" });
        }

        let searchTimer = null;
        document.getElementById("search").oninput = event => {
          clearTimeout(searchTimer);
          searchTimer = setTimeout(() => search(event.target.value.trim().toLowerCase()), 150);
        };

        function search(query) {
          const results = document.getElementById("results");
          results.replaceChildren();
          const status = document.getElementById("status");
          if (!query) { status.textContent = nodes.length + " nodes"; return; }
          let count = 0;
          for (const node of nodes) {
            const haystack = (text(node.question) + "\n" + text(node.answer) + "\n" + (node.error || "")).toLowerCase();
            if (!haystack.includes(query)) continue;
            count++;
            if (count <= 100) {
              const li = element("li", null, "node " + node.id + ": " + text(node.question) + (node.answer !== undefined ? " → " + text(node.answer) : ""));
              li.onclick = () => reveal(node);
              results.append(li);
            }
          }
          status.textContent = count + " of " + nodes.length + " nodes match" + (count > 100 ? " (the first 100 listed)" : "");
        }

        const root = document.createElement("ul");
        if (nodes.length) {
          root.append(row(nodes[0]));
          document.getElementById("tree").append(root);
          setOpen(nodes[0], true);
          select(nodes[0]);
        }
        document.getElementById("status").textContent = nodes.length + " nodes";

        // A link can open the page at a search (#search=TEXT) or at a node (#node=ID).
        function openFromHash() {
          const parameters = new URLSearchParams(location.hash.slice(1));
          const query = parameters.get("search");
          if (query) {
            document.getElementById("search").value = query;
            search(query.toLowerCase());
          }
          const id = Number(parameters.get("node"));
          if (parameters.has("node") && Number.isInteger(id) && id >= 0 && id < nodes.length) reveal(nodes[id]);
        }
        window.addEventListener("hashchange", openFromHash);
        openFromHash();
        """#
}
