// A small progressive enhancement for the triage dashboard; every page works without it.
// A form's submit button is disabled once sent, so a double click cannot post an action twice.
for (const form of document.querySelectorAll('form[method="post"]')) {
  form.addEventListener('submit', () => {
    for (const button of form.querySelectorAll('button[type="submit"]')) button.disabled = true;
  });
}
