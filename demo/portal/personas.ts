/**
 * The demo portal's people. Their subjects and names live only in the portal and in the portal session token;
 * Stream and Virgil see the opaque ids the token API derives from the subjects.
 */
export interface Persona {
  sub: string;
  name: string;
  role: 'patient' | 'clinician';
  /** Whom this person may message (the `peers` claim the token API enforces). */
  peers: string[];
}

export const PERSONAS: readonly Persona[] = [
  {
    sub: 'patient-ana',
    name: 'Ana García',
    role: 'patient',
    peers: ['clinician-lee', 'nurse-sam'],
  },
  {
    sub: 'clinician-lee',
    name: 'Dr. Lee Chen',
    role: 'clinician',
    peers: ['patient-ana', 'nurse-sam'],
  },
  {
    sub: 'nurse-sam',
    name: 'Sam Okafor, RN',
    role: 'clinician',
    peers: ['patient-ana', 'clinician-lee'],
  },
];

export function findPersona(sub: string | undefined): Persona | undefined {
  return PERSONAS.find((persona) => persona.sub === sub);
}

/** The peers claim with display names, as a portal would put it into its session token. */
export function peersClaim(persona: Persona) {
  return persona.peers.map((sub) => ({ sub, name: findPersona(sub)?.name ?? sub }));
}
