// Lists the demo personas as radio buttons (kept in one place: demo/portal/personas.ts).
const list = document.getElementById('personas');
const personas = await (await fetch('/portal/personas.json')).json();
list.replaceChildren(
  ...personas.map((persona, index) => {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'persona';
    input.value = persona.sub;
    input.required = true;
    input.checked = index === 0;
    label.append(input, ` ${persona.name} (${persona.role})`);
    return label;
  }),
);
