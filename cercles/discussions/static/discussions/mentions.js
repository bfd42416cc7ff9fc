// Picking a member in the "mention" helper writes their @username into the message.
// Without JavaScript the helper still shows the suggestions; people type the name by hand.
function insertMention(lookup) {
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

document.addEventListener("change", (event) => {
  if (event.target.id === "mention-lookup") insertMention(event.target);
});
document.addEventListener("keydown", (event) => {
  if (event.target.id === "mention-lookup" && event.key === "Enter") {
    event.preventDefault();
    insertMention(event.target);
  }
});
