/** Shows, in place of `container`'s content, why something could not be shown (and logs the error). */
export function showFailure(container, text, error) {
  const message = document.createElement('p');
  message.className = 'status';
  message.setAttribute('role', 'alert');
  message.textContent = text;
  container.replaceChildren(message);
  console.error(error);
}
