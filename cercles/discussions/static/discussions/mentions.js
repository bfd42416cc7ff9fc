// The "mention" helper of the reply form: as the person types a name, the matching members are
// fetched and offered; picking one writes their @username into the message. The helper needs
// JavaScript, so it stays hidden without it: people then type the @username by hand.
const lookup = document.getElementById("mention-lookup");
const suggestions = document.getElementById("mention-list");
let pending = null;

function insertMention() {
  const body = document.getElementById(lookup.dataset.target);
  if (!body || !lookup.value.startsWith("@")) return;
  const at = body.selectionStart ?? body.value.length;
  const before = body.value.slice(0, at);
  const spacer = before && !/\s$/.test(before) ? " " : "";
  const insert = `${spacer}${lookup.value.trim()} `;
  body.value = before + insert + body.value.slice(at);
  body.focus();
  body.selectionStart = body.selectionEnd = at + insert.length;
  lookup.value = "";
}

async function suggest() {
  const typed = lookup.value.trim().replace(/^@/, "");
  if (!typed) return;
  const url = `${lookup.dataset.suggestUrl}?q=${encodeURIComponent(typed)}`;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok || lookup.value.trim().replace(/^@/, "") !== typed) return;
  const { members } = await response.json();
  suggestions.replaceChildren(
    ...members.map(({ username, name }) => {
      const option = document.createElement("option");
      option.value = `@${username}`;
      option.textContent = name;
      return option;
    }),
  );
}

if (lookup && suggestions) {
  lookup.closest(".mention-helper").hidden = false;
  lookup.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(suggest, 200);
  });
  lookup.addEventListener("change", insertMention);
  lookup.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      insertMention();
    }
  });
}
