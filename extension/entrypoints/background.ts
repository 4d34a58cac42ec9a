export default defineBackground(() => {
  // Wired up by the analyst extension (issue 3); the background is the only context that talks to the API.
});
