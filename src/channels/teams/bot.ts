// One Teams turn: messages (commands or questions), installs (the welcome card) and invokes
// (card buttons and feedback). Everything else Teams sends (typing, reactions, renames) is ignored.
import type { TurnContext } from 'botbuilder';
import { answerQuestion } from './ask-flow.js';
import { attachment } from './card-kit.js';
import { messageText, parseCommand } from './commands.js';
import { errorFields, isPersonal, userOf, type TeamsContext } from './context.js';
import { postEscalationForm } from './escalation.js';
import { handleInvoke } from './invokes.js';
import { myRequestsCard, PRIVATE_REQUESTS } from './requester-cards.js';
import { welcomeCard } from './welcome-card.js';

export async function onTurn(t: TeamsContext, ctx: TurnContext): Promise<void> {
  await t.triage.observe(ctx.activity).catch((err: unknown) => t.logger.warn('could not note the Teams service address', errorFields(err)));
  switch (ctx.activity.type) {
    case 'message':
      return onMessage(t, ctx);
    case 'conversationUpdate':
      return onConversationUpdate(t, ctx);
    case 'invoke':
      return handleInvoke(t, ctx);
    default:
      return;
  }
}

async function onMessage(t: TeamsContext, ctx: TurnContext): Promise<void> {
  const text = messageText(ctx.activity);
  // A card's old-style submit arrives as a message with a value and no text: nothing to answer.
  if (!text) return;
  const command = parseCommand(text);
  switch (command.kind) {
    case 'help':
      await ctx.sendActivity({ type: 'message', attachments: [welcomeCard({ inChannel: !isPersonal(ctx.activity) })] });
      return;
    case 'myRequests': {
      // Someone's requests are their business: listed only in a one-to-one chat.
      if (!isPersonal(ctx.activity)) {
        await ctx.sendActivity(PRIVATE_REQUESTS);
        return;
      }
      const tickets = await t.deps.tickets.listForRequester('teams', userOf(ctx.activity).id);
      await ctx.sendActivity({ type: 'message', attachments: [attachment(myRequestsCard(tickets))] });
      return;
    }
    case 'requestHelp':
      await postEscalationForm(t, ctx, command.details ? { question: command.details } : {});
      return;
    case 'setTriage':
      await setTriageChannel(t, ctx);
      return;
    case 'ask':
      await answerQuestion(t, ctx, command.question);
      return;
  }
}

/** The bot was added to a chat or team: say what it does. Other members joining are not greeted. */
async function onConversationUpdate(t: TeamsContext, ctx: TurnContext): Promise<void> {
  const botId = ctx.activity.recipient?.id;
  const added = ctx.activity.membersAdded ?? [];
  if (!botId || !added.some((m) => m.id === botId)) return;
  await ctx.sendActivity({ type: 'message', attachments: [welcomeCard({ inChannel: !isPersonal(ctx.activity) })] });
  t.logger.info('teams app installed', { conversationType: ctx.activity.conversation.conversationType ?? 'unknown' });
}

async function setTriageChannel(t: TeamsContext, ctx: TurnContext): Promise<void> {
  const activity = ctx.activity;
  if (activity.conversation.conversationType !== 'channel') {
    await ctx.sendActivity('Send this in the team channel the support team wants to use for triage (not in a chat).');
    return;
  }
  if (t.triage.configured) {
    await ctx.sendActivity('The triage channel is set by the server’s configuration (TEAMS_TRIAGE_CONVERSATION_ID), so it can’t be changed from here. Ask an administrator.');
    return;
  }
  const user = userOf(activity);
  if (!(await t.support.isMember(user))) {
    t.logger.info('teams triage channel change refused');
    await ctx.sendActivity('Only the support team can choose the triage channel. Ask an administrator to add your Microsoft Entra (AAD) object id to TEAMS_SUPPORT_USERS.');
    return;
  }
  await t.triage.set(activity, user.id);
  t.support.invalidate();
  t.logger.info('teams triage channel set');
  await ctx.sendActivity('Done: new requests for hands-on help will be posted in this channel, with buttons to claim, assign, prioritise, reply and resolve them.');
}
